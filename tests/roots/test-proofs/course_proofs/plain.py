"""A statement in plain text.

Barron's C_f = |x| is written as a mathematician types it, with sum_{j <= n} and *one star,
which reStructuredText would misread.

A second paragraph.
"""


def lemma_holds():
    assert 2 + 2 == 4

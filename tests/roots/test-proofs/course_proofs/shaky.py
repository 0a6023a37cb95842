"""A proof whose optional parts are broken.

Its lemma holds; its derivation and one figure do not work.
"""

from matplotlib.figure import Figure


def lemma_one_is_one():
    assert 1 == 1


def derivation():
    raise ZeroDivisionError("no derivation today")


def figures():
    return {
        "../escape": Figure(),
        "fine": Figure(figsize=(1, 1)),
        "shaky_detail": Figure(figsize=(1, 1)),
    }

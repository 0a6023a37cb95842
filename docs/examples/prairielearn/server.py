"""A PrairieLearn question graded by symdl: the derivative of the logistic loss of a linear unit.

PrairieLearn calls ``generate`` once per variant, then ``parse`` and ``grade`` on every
submission; each changes the dictionary ``data`` in place.  The student's answer is text (a
``pl-string-input``), read by symdl's safe parser and decided as a function: any form of the
derivative scores 1.  A wrong answer scores 0 (or the partial credit below for a recognised
mistake), with feedback naming the mistake and a point where the answer is wrong; an answer
that cannot be read is a format error, which costs the student no attempt.

symdl must be importable: PrairieLearn puts the course's ``serverFilesCourse/`` on the Python
path of ``server.py``, so copy the ``symdl`` package folder there (its grading needs only SymPy,
mpmath and NumPy).
"""

import random

import sympy as sp

from symdl.core.notation import latex_expr, plain_expr
from symdl.grading import prairielearn
from symdl.grading.answers import GradientProblem
from symdl.referee.verdict import Mistake

w, x = sp.symbols("w x", real=True)

#: Partial credit for a recognised mistake (the rest score 0).
PARTIAL_CREDIT = {Mistake.SIGN: 0.5, Mistake.CONSTANT_FACTOR: 0.5}


def loss(a):
    """The variant's loss, log(1 + e^(-a w x))."""
    return sp.log(1 + sp.exp(-a * w * x))


def problem(data):
    """The variant's gradient problem, rebuilt from its parameters on every call."""
    return GradientProblem.from_expression(loss(int(data["params"]["a"])), w)


def generate(data):
    a = random.choice([2, 3, 5])
    data["params"]["a"] = a
    data["params"]["loss"] = latex_expr(loss(a))
    data["correct_answers"]["gradient"] = plain_expr(sp.diff(loss(a), w))


def parse(data):
    prairielearn.parse(data, problem(data), name="gradient")


def grade(data):
    prairielearn.grade(data, problem(data), name="gradient", partial_credit=PARTIAL_CREDIT)

r"""Stochastic gradient descent, as in Goodfellow, Bengio and Courville's Algorithm 8.1.

At step :math:`k` a minibatch :math:`\{(x^{(i)}, y^{(i)})\}_{i \in B_k}` of :math:`m` examples
is drawn from the training set, and

.. math::

    \hat g = \frac{1}{m} \nabla_\theta \sum_{i \in B_k} L\bigl(f(x^{(i)}; \theta), y^{(i)}\bigr),
    \qquad \theta \leftarrow \theta - \epsilon_k \hat g .

The *sample path* :math:`B_1, B_2, \dots` is drawn once from a seed (:func:`sample_path`) and can
be passed to :func:`sgd` explicitly: two runs on training sets that differ in one example then
see the same indices, the coupling of Hardt, Recht and Singer's stability argument
(:mod:`symdl.optimization.stability`).  The gradient is any callable; :func:`network_gradient`
builds it for
a symdl :class:`~symdl.core.network.Network` and :class:`~symdl.core.losses.Loss` from the numeric
backward pass of :mod:`symdl.core.numeric`.

References
----------
I. Goodfellow, Y. Bengio and A. Courville, *Deep Learning*, MIT Press (2016), § 8.3.1,
Algorithm 8.1.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp

from symdl.core import numeric
from symdl.core.exact import positive_integer
from symdl.core.losses import Loss
from symdl.core.network import Network
from symdl.optimization.schedules import Schedule, as_schedule

__all__ = ["SGDRun", "network_gradient", "sample_path", "sgd", "sgd_network"]

Gradient = Callable[[np.ndarray, np.ndarray], np.ndarray]
"""``gradient(theta, batch)``: the mean gradient over the examples with indices ``batch``."""


def _positive_int(value: object, name: str) -> int:
    """A concrete integer ≥ 1 (:func:`symdl.core.exact.positive_integer`, not a Symbol)."""
    number = positive_integer(value, name=name)
    if not number.is_Integer:
        raise ValueError(f"{name}={value!r}: give a concrete integer ≥ 1 (the path is sampled)")
    return int(number)


def sample_path(n: int, steps: int, *, batch_size: int = 1, seed: int = 0) -> np.ndarray:
    """The minibatch indices of ``steps`` SGD steps on ``n`` examples, from ``seed``.

    Each minibatch is ``batch_size`` distinct indices drawn uniformly; minibatches are
    independent (sampling with replacement across steps, as in Hardt et al.'s SGM).

    Returns
    -------
    numpy.ndarray
        Integer array of shape ``(steps, batch_size)``.

    Examples
    --------
    >>> path = sample_path(10, 3, batch_size=2, seed=1)
    >>> path.shape, bool((path == sample_path(10, 3, batch_size=2, seed=1)).all())
    ((3, 2), True)

    References
    ----------
    Hardt, Recht and Singer (2016), § 3 (the stochastic gradient method's sample path).
    """
    n = _positive_int(n, "n")
    steps = _positive_int(steps, "steps")
    batch_size = _positive_int(batch_size, "batch_size")
    if batch_size > n:
        raise ValueError(f"batch_size={batch_size} exceeds the number of examples n={n}")
    rng = np.random.default_rng(seed)
    if batch_size == 1:
        return rng.integers(0, n, size=(steps, 1))
    return np.stack([rng.choice(n, size=batch_size, replace=False) for _ in range(steps)])


@dataclass(frozen=True)
class SGDRun:
    """The trajectory of one SGD run.

    ``thetas[k]`` is the parameter vector after ``k`` steps (``thetas[0]`` the start),
    ``path[k]`` the minibatch of step ``k + 1`` and ``rates[k]`` its step size.

    Examples
    --------
    >>> from symdl.optimization.schedules import InversePower
    >>> run = sgd(lambda theta, batch: theta - 4.0, np.zeros(1), schedule=InversePower(1, 1),
    ...           path=np.zeros((2, 1), dtype=int))
    >>> run.thetas[:, 0].tolist(), run.rates.tolist(), run.final.tolist()
    ([0.0, 4.0, 4.0], [1.0, 0.5], [4.0])
    """

    thetas: np.ndarray
    path: np.ndarray
    rates: np.ndarray

    @property
    def final(self) -> np.ndarray:
        """The parameters after the last step."""
        return self.thetas[-1]


def sgd(
    gradient: Gradient,
    theta0: np.ndarray,
    *,
    schedule: Schedule | sp.Expr,
    path: np.ndarray,
) -> SGDRun:
    r"""Run SGD (Algorithm 8.1) along a given sample path.

    Parameters
    ----------
    gradient
        ``gradient(theta, batch)`` returns :math:`\hat g`, the mean gradient of the loss over
        the examples whose indices are in ``batch``.
    theta0
        The initial parameters (a 1-D array).
    schedule
        The learning rates :math:`\epsilon_k`, :math:`k = 1, 2, \dots`: a
        :class:`~symdl.optimization.schedules.Schedule` or a SymPy expression in
        :data:`symdl.optimization.schedules.t`.
    path
        The minibatches, shape ``(steps, batch_size)``, e.g. from :func:`sample_path`.

    Examples
    --------
    Least squares on three numbers: SGD with :math:`\epsilon_k = 1/k` computes their running
    mean, so it ends exactly at the mean.

    >>> from symdl.optimization.schedules import InversePower
    >>> data = np.array([1.0, 2.0, 6.0])
    >>> run = sgd(lambda theta, batch: theta - data[batch].mean(), np.zeros(1),
    ...           schedule=InversePower(1, 1), path=np.array([[0], [1], [2]]))
    >>> run.final
    array([3.])

    References
    ----------
    Goodfellow, Bengio and Courville (2016), § 8.3.1, Algorithm 8.1.
    """
    rule = as_schedule(schedule)
    path = np.asarray(path)
    if path.ndim != 2 or path.shape[0] < 1 or not np.issubdtype(path.dtype, np.integer):
        raise ValueError(
            f"path must be an integer array of shape (steps, batch_size); got shape "
            f"{path.shape} and dtype {path.dtype} (use sample_path)"
        )
    theta = np.array(theta0, dtype=float)
    if theta.ndim != 1:
        raise ValueError(f"theta0 must be a 1-D array; got shape {theta.shape}")
    rates = rule.numpy(np.arange(rule.start, rule.start + path.shape[0]))
    thetas = np.empty((path.shape[0] + 1, theta.size))
    thetas[0] = theta
    for k, batch in enumerate(path):
        g = np.asarray(gradient(theta, batch), dtype=float)
        if g.shape != theta.shape:
            raise ValueError(
                f"the gradient has shape {g.shape} but the parameters have shape {theta.shape}"
            )
        theta = theta - rates[k] * g
        thetas[k + 1] = theta
    return SGDRun(thetas=thetas, path=path, rates=rates)


def network_gradient(net: Network, loss: Loss, X: np.ndarray, Y: np.ndarray) -> Gradient:
    r"""The minibatch gradient of a symdl network's mean loss, for :func:`sgd`.

    The parameter vector :math:`\theta` lists the values of ``net.parameters`` in order; the
    gradient is :func:`symdl.core.numeric.parameter_gradient`, the hand-written numeric backward
    pass, on the rows ``batch`` of ``X`` and ``Y``.

    Examples
    --------
    One linear neuron and the squared loss :math:`(w x - y)^2`: SGD with
    :math:`\epsilon = 1/4` on the single example (1, 2) halves the distance to :math:`w = 2`.

    >>> from symdl.core.losses import LOSSES
    >>> from symdl.optimization.schedules import Constant
    >>> import sympy as sp
    >>> net = Network.mlp([1, 1], "identity", biases=[[0]])
    >>> grad = network_gradient(net, LOSSES["mse"], np.array([[1.0]]), np.array([[2.0]]))
    >>> run = sgd(grad, np.zeros(1), schedule=Constant(sp.Rational(1, 4)),
    ...           path=np.zeros((3, 1), dtype=int))
    >>> run.thetas[:, 0].tolist()
    [0.0, 1.0, 1.5, 1.75]

    References
    ----------
    Nielsen (2015), ch. 2 (BP1–BP4, the backward pass that computes the gradient).
    """
    parameters = net.parameters
    if not parameters:
        raise ValueError("the network has no symbolic parameters to train")
    X = np.atleast_2d(np.asarray(X, dtype=float))
    Y = np.atleast_2d(np.asarray(Y, dtype=float))
    if X.shape[0] != Y.shape[0]:
        raise ValueError(f"X has {X.shape[0]} examples but Y has {Y.shape[0]}")

    def gradient(theta: np.ndarray, batch: np.ndarray) -> np.ndarray:
        values = dict(zip(parameters, (float(v) for v in theta), strict=True))
        grad = numeric.parameter_gradient(net, X[batch], Y[batch], loss, values)
        return np.array([grad[p] for p in parameters])

    return gradient


def sgd_network(
    net: Network,
    loss: Loss,
    X: np.ndarray,
    Y: np.ndarray,
    *,
    schedule: Schedule | sp.Expr,
    steps: int,
    batch_size: int = 1,
    seed: int = 0,
    start: np.ndarray | None = None,
) -> SGDRun:
    r"""Algorithm 8.1 on a symdl network: seeded minibatches and the numeric backward pass.

    The sample path is :func:`sample_path` with ``seed``; the start, unless given, is drawn
    from :math:`N(0, 1/4)` with the same seed, so a run is reproduced by its arguments.
    ``thetas`` list the values of ``net.parameters`` in order.

    Examples
    --------
    >>> from symdl.core.losses import LOSSES
    >>> from symdl.optimization.schedules import Constant
    >>> net = Network.mlp([1, 1], "identity")
    >>> X, Y = np.array([[0.0], [1.0], [2.0]]), np.array([[1.0], [3.0], [5.0]])  # y = 2x + 1
    >>> run = sgd_network(net, LOSSES["mse"], X, Y, schedule=Constant(sp.Rational(1, 10)),
    ...                   steps=2000, batch_size=3, seed=1)
    >>> np.round(run.final, 6).tolist()
    [2.0, 1.0]

    References
    ----------
    Goodfellow, Bengio and Courville (2016), § 8.3.1, Algorithm 8.1.
    """
    X = np.atleast_2d(np.asarray(X, dtype=float))
    path = sample_path(X.shape[0], steps, batch_size=batch_size, seed=seed)
    if start is None:
        start = np.random.default_rng(seed).normal(scale=0.5, size=len(net.parameters))
    return sgd(network_gradient(net, loss, X, Y), start, schedule=schedule, path=path)

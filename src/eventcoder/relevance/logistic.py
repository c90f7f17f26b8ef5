"""Logistic regression fitted by Newton's method: small, exact, deterministic, numpy only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

Matrix = np.ndarray[Any, np.dtype[np.float64]]
LOGIT_CLIP = 12.0


@dataclass(frozen=True)
class Logistic:
    """``p = sigmoid(x . weights + bias)``; ``names`` says what each column is."""

    weights: Matrix
    bias: float
    names: tuple[str, ...] = ()

    def logit(self, x: Matrix) -> Matrix:
        """Return the log-odds of each row."""
        return np.clip(np.asarray(x, dtype=np.float64) @ self.weights + self.bias, -LOGIT_CLIP, LOGIT_CLIP)

    def probability(self, x: Matrix) -> Matrix:
        """Return the probability of each row."""
        return sigmoid(self.logit(x))


def sigmoid(z: Matrix) -> Matrix:
    """Return the logistic function of ``z``."""
    return 1.0 / (1.0 + np.exp(-z))


def fit(x: Matrix, y: Matrix, l2: float, weight: Matrix | None = None, names: tuple[str, ...] = (),
        iterations: int = 30) -> Logistic:
    """Fit an L2-penalised logistic regression (the bias is not penalised) by Newton-Raphson.

    Args:
        x: one row per example.
        y: labels in [0, 1].
        l2: the penalty on the squared weights (larger: smaller weights, smoother probabilities).
        weight: a weight per example (default 1).
        names: the column names kept with the model.
        iterations: Newton steps at most; it stops when the step is below 1e-8.

    Example:
        >>> import numpy as np
        >>> model = fit(np.array([[0.0], [1.0], [2.0], [3.0]]), np.array([0.0, 0.0, 1.0, 1.0]), l2=0.1)
        >>> bool(model.probability(np.array([[3.0]]))[0] > 0.5)
        True
    """
    rows, columns = x.shape
    design = np.hstack([np.asarray(x, dtype=np.float64), np.ones((rows, 1))])
    target = np.asarray(y, dtype=np.float64)
    sample = np.ones(rows) if weight is None else np.asarray(weight, dtype=np.float64)
    penalty = np.full(columns + 1, l2)
    penalty[-1] = 0.0
    beta = np.zeros(columns + 1)
    for _ in range(iterations):
        p = sigmoid(design @ beta)
        gradient = design.T @ (sample * (p - target)) + penalty * beta
        curvature = sample * p * (1.0 - p)
        hessian = (design * curvature[:, None]).T @ design + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if float(np.max(np.abs(step))) < 1e-8:
            break
    return Logistic(weights=beta[:-1], bias=float(beta[-1]), names=names)

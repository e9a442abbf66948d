"""Scores that read as probabilities: Platt scaling of SVM margins, fitted on held-out data.

A linear SVM's score is the sigmoid of its margin, which says on which side of the boundary a
text falls but not how often such a text has the label: training pushes examples to margin 1,
so most scores sit near 0.27 and 0.73 whatever the model's real confidence. Platt scaling
fits ``sigmoid(a * margin + b)`` to the labels of held-out texts (Platt, 1999, with his
smoothed targets), one (a, b) for all labels together, so that the scores keep their order
(a single-label model picks the same label) and become estimates of how likely each label is.

>>> held_out = np.array([[2.0, -1.5], [-1.0, 1.8], [0.2, -0.4]] * 3)  # margins, texts x labels
>>> ab = platt(held_out, np.array([[True, False], [False, True], [False, False]] * 3))
>>> sigmoid(held_out[:3], ab).round(2).tolist()  # the third has neither label: 0.22, not 0.55
[[0.86, 0.02], [0.04, 0.81], [0.22, 0.09]]
"""

from __future__ import annotations

import numpy as np

__all__ = ["IDENTITY", "margins", "platt", "sigmoid"]

IDENTITY = (1.0, 0.0)  # no calibration: the sigmoid of the margin itself
SATURATED = 25.0  # margins of labels constant in training are +-50; an SVM's stay far below
MIN_PAIRS = 5  # held-out (text, label) pairs needed of each kind: fewer fit nothing sensible
MIN_SLOPE = 0.01  # the least ``a``: scores keep the margins' order when they tell nothing


def sigmoid(margin: np.ndarray, calibration: tuple[float, float] = IDENTITY) -> np.ndarray:
    """Scores in [0, 1] of margins: ``1 / (1 + exp(-(a * margin + b)))`` with ``(a, b)``.

    >>> sigmoid(np.array([0.0, 1.0]), (2.0, -1.0)).round(3).tolist()
    [0.269, 0.731]
    """
    a, b = calibration
    return 1.0 / (1.0 + np.exp(-(a * np.asarray(margin, dtype=float) + b)))


def margins(scores: np.ndarray) -> np.ndarray:
    """The margins that uncalibrated scores (``sigmoid(margin)``) came from.

    >>> margins(np.array([0.5, 0.731])).round(2).tolist()
    [0.0, 1.0]
    """
    p = np.clip(np.asarray(scores, dtype=float), 1e-15, 1 - 1e-15)
    return np.log(p / (1 - p))


def platt(margin: np.ndarray, truth: np.ndarray) -> tuple[float, float] | None:
    """``(a, b)`` that make ``sigmoid(a * margin + b)`` fit ``truth`` (same shape, booleans)
    best, every (text, label) pair counting once; None when fewer than ``MIN_PAIRS`` pairs
    have the label, or have it not (one held-out text made a = 23). ``a`` is at least
    ``MIN_SLOPE``: when the held-out labels do not rise with the margins (a model trained on
    a few dozen texts), every score comes near the share of pairs with the label, in the
    margins' order, instead of the plain sigmoid (near 0.3 for TNEWS' 15 labels, where 7% of
    the pairs have the label).

    Targets are Platt's: (positives + 1) / (positives + 2) for a label a text has, 1 /
    (negatives + 2) for one it has not, which keeps ``a`` finite on separable data. Margins
    beyond ``SATURATED`` are left out: they are those of labels a held-out model never saw
    (constant ones, or columns it lacks), not of an SVM, and say nothing about the scale.
    """
    from scipy.optimize import minimize

    x = np.ravel(margin).astype(float)
    y = np.ravel(truth).astype(bool)
    real = np.abs(x) < SATURATED
    x, y = x[real], y[real]
    positives = int(y.sum())
    negatives = len(y) - positives
    if min(positives, negatives) < MIN_PAIRS:
        return None
    target = np.where(y, (positives + 1) / (positives + 2), 1 / (negatives + 2))

    def loss(ab: np.ndarray) -> tuple[float, np.ndarray]:
        z = ab[0] * x + ab[1]
        # cross-entropy: log(1 + e^z) - t * z, computed without overflow
        value = np.logaddexp(0.0, z) - target * z
        residual = sigmoid(z) - target
        return float(value.sum()), np.array([residual @ x, residual.sum()])

    prior = np.log((negatives + 1) / (positives + 1))
    bounds = [(MIN_SLOPE, None), (None, None)]
    found = minimize(loss, np.array([1.0, -prior]), jac=True, method="L-BFGS-B", bounds=bounds)
    a, b = (float(v) for v in found.x)
    return a, b

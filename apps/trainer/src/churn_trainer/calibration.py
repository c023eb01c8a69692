"""Probability calibration on out-of-fold predictions, and how calibrated the result is."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.calibration import CalibratedClassifierCV
from sklearn.model_selection import StratifiedKFold


def calibrated(estimator: BaseEstimator, method: str, folds: int, seed: int) -> CalibratedClassifierCV:
    """Platt/isotonic calibrator fitted on out-of-fold predictions of `estimator`.

    ensemble=False: the calibrator is fitted on cross_val_predict output and the estimator is
    refitted once on all rows, so the exported graph holds one model, not `folds` copies
    (which would multiply scoring and explanation cost).
    """
    return CalibratedClassifierCV(
        estimator,
        method=method,
        ensemble=False,
        cv=StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed),
    )


def reliability_curve(y: np.ndarray, p: np.ndarray, bins: int) -> dict[str, list[float]]:
    """Equal-width bins over [0, 1]: mean predicted vs observed churn rate and counts per bin."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    # Bin k is [k/bins, (k+1)/bins), the last one closed: floor(p * bins), as monitoring's
    # expectedCalibrationError (libs/analytics/src/classification-metrics.ts) bins live scores. Not
    # np.digitize against `edges`: linspace computes them as i * (1/bins), and 3 * 0.1 is
    # 0.30000000000000004, which would put 0.3 (also 0.6 and 0.7 with 10 bins) in the bin below its own.
    which = np.clip(np.floor(np.asarray(p, dtype=np.float64) * bins).astype(np.int64), 0, bins - 1)
    mean_pred, observed, counts = [], [], []
    for b in range(bins):
        mask = which == b
        counts.append(int(mask.sum()))
        mean_pred.append(float(p[mask].mean()) if mask.any() else float("nan"))
        observed.append(float(y[mask].mean()) if mask.any() else float("nan"))
    return {"edges": edges.tolist(), "mean_predicted": mean_pred, "observed_rate": observed, "counts": counts}


def expected_calibration_error(y: np.ndarray, p: np.ndarray, bins: int) -> float:
    """Count-weighted mean |observed rate - mean prediction| over equal-width bins."""
    curve = reliability_curve(y, p, bins)
    total = len(y)
    ece = 0.0
    for n, mp, obs in zip(curve["counts"], curve["mean_predicted"], curve["observed_rate"], strict=True):
        if n:
            ece += n / total * abs(obs - mp)
    return float(ece)

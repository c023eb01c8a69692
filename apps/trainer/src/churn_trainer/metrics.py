"""Classification metrics shared by CV, holdout and segment reports."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score

from churn_trainer.calibration import expected_calibration_error

METRIC_NAMES = ["roc_auc", "pr_auc", "brier", "log_loss", "lift_top_decile", "ece"]


def lift_at(y: np.ndarray, p: np.ndarray, fraction: float = 0.1) -> float:
    """Churn rate among the top `fraction` by score divided by the overall churn rate.

    Ties are broken by row order (stable sort) so the number is deterministic.
    """
    n_top = max(1, int(np.ceil(fraction * len(y))))
    order = np.argsort(-p, kind="stable")
    return float(y[order[:n_top]].mean() / y.mean())


def classification_metrics(y: np.ndarray, p: np.ndarray, ece_bins: int = 10) -> dict[str, float]:
    p = np.clip(np.asarray(p, dtype=np.float64), 1e-7, 1 - 1e-7)
    return {
        "roc_auc": float(roc_auc_score(y, p)),
        "pr_auc": float(average_precision_score(y, p)),
        "brier": float(brier_score_loss(y, p)),
        "log_loss": float(log_loss(y, p, labels=[0, 1])),
        "lift_top_decile": lift_at(y, p, 0.1),
        "ece": expected_calibration_error(y, p, ece_bins),
    }


def summarize_folds(per_fold: list[dict[str, float]], names: list[str] | None = None) -> dict[str, dict[str, float]]:
    """Mean, standard deviation and standard error of each metric across folds."""
    out: dict[str, dict[str, float]] = {}
    for name in names or METRIC_NAMES:
        values = np.array([m[name] for m in per_fold])
        std = float(values.std(ddof=1)) if len(values) > 1 else 0.0
        out[name] = {"mean": float(values.mean()), "std": std, "se": std / float(np.sqrt(len(values)))}
    return out


def best_f1_threshold(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    """Threshold on a 0.005 grid in [0.05, 0.95] maximising F1 (first best wins)."""
    best_t, best_f1 = 0.5, -1.0
    for t in np.round(np.arange(0.05, 0.951, 0.005), 3):
        pred = p >= t
        tp = float((pred & (y == 1)).sum())
        fp = float((pred & (y == 0)).sum())
        fn = float((~pred & (y == 1)).sum())
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > best_f1:
            best_t, best_f1 = float(t), f1
    return best_t, best_f1


def threshold_metrics(y: np.ndarray, p: np.ndarray, threshold: float) -> dict[str, float]:
    pred = p >= threshold
    tp = int((pred & (y == 1)).sum())
    fp = int((pred & (y == 0)).sum())
    fn = int((~pred & (y == 1)).sum())
    tn = int((~pred & (y == 0)).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "threshold": threshold,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "accuracy": (tp + tn) / len(y),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
    }

"""Choosing the production model from repeated cross-validation."""

from __future__ import annotations

import numpy as np

from churn_trainer.config import SelectionConfig


def corrected_paired_se(diff: np.ndarray, test_train_ratio: float) -> float:
    """Standard error of the mean per-fold difference of two candidates scored on the same folds.

    The folds of repeated cross-validation share most of their training rows, so their differences are
    correlated and the plain SE (s / sqrt(J)) is too small: the variance gets Nadeau and Bengio's
    correction, (1/J + n_test/n_train) * s^2.
    """
    if len(diff) < 2:
        return 0.0
    return float(np.sqrt((1.0 / len(diff) + test_train_ratio) * np.var(diff, ddof=1)))


def select_model(fold_auc: dict[str, list[float]], order: list[str], folds: int, cfg: SelectionConfig) -> dict:
    """Simplest family first: a more complex candidate replaces the current choice only when its mean
    ROC-AUC over the repeated CV folds is higher by more than `min_gain_se` paired standard errors.

    `order` runs from the simplest family to the most complex; `fold_auc` holds every candidate's
    per-fold ROC-AUC over the same repeated folds.
    """
    ratio = 1.0 / (folds - 1)
    chosen = order[0]
    comparisons = []
    for name in order[1:]:
        diff = np.asarray(fold_auc[name]) - np.asarray(fold_auc[chosen])
        gain = float(diff.mean())
        se = corrected_paired_se(diff, ratio)
        replaces = bool(gain > cfg.min_gain_se * se)
        comparisons.append(
            {
                "candidate": name,
                "against": chosen,
                "auc_gain": gain,
                "paired_se": se,
                "needed": cfg.min_gain_se * se,
                "replaces": replaces,
            }
        )
        if replaces:
            chosen = name
    if chosen == order[0]:
        best = max(comparisons, key=lambda c: c["auc_gain"] - c["needed"], default=None)
        reason = f"the simplest family; no more complex one gained more than {cfg.min_gain_se:g} paired SEs of CV ROC-AUC over it"
        if best:
            reason += (
                f" (closest: {best['candidate']}, {best['auc_gain']:+.4f} against the {best['needed']:.4f} needed)"
            )
    else:
        last = next(c for c in reversed(comparisons) if c["replaces"])
        reason = (
            f"gains {last['auc_gain']:+.4f} CV ROC-AUC over {last['against']}, more than {cfg.min_gain_se:g} "
            f"paired SEs ({last['paired_se']:.4f} each)"
        )
        later = [c for c in comparisons if c["against"] == chosen]
        if later:
            reason += "; no more complex family gained that much over it"
    return {
        "name": chosen,
        "selected": chosen,
        "rule": (
            f"candidates in order of complexity ({', '.join(order)}); a more complex one replaces the current "
            f"choice only when its mean ROC-AUC over the repeated stratified CV folds is higher by more than "
            f"{cfg.min_gain_se:g} paired standard errors (Nadeau-Bengio corrected for overlapping folds)"
        ),
        "reason": reason,
        "order": order,
        "comparisons": comparisons,
    }

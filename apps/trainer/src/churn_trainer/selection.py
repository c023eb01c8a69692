"""Choosing the production model from cross-validation results."""

from __future__ import annotations

import numpy as np

from churn_trainer.config import SelectionConfig


def paired_se(a: list[float], b: list[float]) -> float:
    """Standard error of the mean per-fold difference a - b (same folds for both)."""
    diff = np.asarray(a) - np.asarray(b)
    return float(diff.std(ddof=1) / np.sqrt(len(diff))) if len(diff) > 1 else 0.0


def select_model(
    fold_auc: dict[str, list[float]],
    mean_brier: dict[str, float],
    cost_us_per_row: dict[str, float],
    cfg: SelectionConfig,
) -> dict:
    """Issue rule: highest mean CV ROC-AUC; calibration (lower Brier) breaks ties.

    Documented extension (cfg.prefer_cheaper_within_se): a candidate whose AUC trails the best by
    less than one paired standard error - a difference the folds cannot tell from noise - and
    which costs at most `cheaper_factor` of the best's ONNX time per row is preferred; among
    several, the cheapest wins.
    """
    means = {n: float(np.mean(v)) for n, v in fold_auc.items()}
    best_auc = max(means.values())
    tied = [n for n in means if best_auc - means[n] <= cfg.tie_tolerance]
    by_auc = min(tied, key=lambda n: (mean_brier[n], -means[n]))
    decision = {
        "rule": "max mean CV ROC-AUC; ties within tie_tolerance go to the lower mean CV Brier score",
        "by_auc": by_auc,
        "tie_tolerance": cfg.tie_tolerance,
        "selected": by_auc,
        "reason": "highest CV ROC-AUC" if len(tied) == 1 else f"tie on CV ROC-AUC with {sorted(set(tied) - {by_auc})}; lower Brier",
        "within_one_se_of_best": {},
    }
    for name in means:
        if name != by_auc:
            se = paired_se(fold_auc[by_auc], fold_auc[name])
            decision["within_one_se_of_best"][name] = {
                "auc_gap": best_auc - means[name], "paired_se": se,
                "within": bool(best_auc - means[name] < se),
            }
    if cfg.prefer_cheaper_within_se:
        decision["rule"] += ("; then prefer a candidate within one paired SE of it that costs at most "
                             f"{cfg.cheaper_factor}x its ONNX time per row (cheapest wins)")
        cheaper = [n for n, info in decision["within_one_se_of_best"].items()
                   if info["within"] and cost_us_per_row[n] <= cfg.cheaper_factor * cost_us_per_row[by_auc]]
        if cheaper:
            chosen = min(cheaper, key=lambda n: cost_us_per_row[n])
            decision["selected"] = chosen
            decision["reason"] = (
                f"{by_auc} leads CV ROC-AUC by {best_auc - means[chosen]:.4f}, less than one paired SE "
                f"({decision['within_one_se_of_best'][chosen]['paired_se']:.4f}); {chosen} costs "
                f"{cost_us_per_row[chosen]:.2f} vs {cost_us_per_row[by_auc]:.2f} us/row"
            )
    return decision

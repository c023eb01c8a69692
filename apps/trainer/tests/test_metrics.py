"""ROC-AUC, PR-AUC, Brier, log loss, lift, ECE and the threshold figures on tiny inputs worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from churn_trainer.metrics import (
    METRIC_NAMES,
    best_f1_threshold,
    classification_metrics,
    lift_at,
    summarize_folds,
    threshold_metrics,
)

# Scores .8 and .4 churned, .6 and .2 stayed.
Y = np.array([1, 0, 1, 0])
P = np.array([0.8, 0.6, 0.4, 0.2])


def test_classification_metrics_of_four_customers():
    got = classification_metrics(Y, P)
    assert list(got) == METRIC_NAMES
    # (churned, stayed) pairs ranked right: (.8, .6) (.8, .2) (.4, .2); wrong: (.4, .6) → 3/4.
    assert got["roc_auc"] == 0.75
    # Average precision: .8 (recall 1/2 at precision 1), then .4 (recall 1 at precision 2/3) → 1/2 + 1/2 · 2/3.
    assert got["pr_auc"] == pytest.approx(5 / 6, abs=1e-15)
    # (.2² + .6² + .6² + .2²) / 4 = .2.
    assert got["brier"] == pytest.approx(0.2, abs=1e-15)
    # -(ln .8 + ln .4 + ln .4 + ln .8) / 4 = -ln(.32) / 2.
    assert got["log_loss"] == pytest.approx(-math.log(0.32) / 2, abs=1e-12)
    # Top ⌈4/10⌉ = 1 customer (.8) churned: 1 / (2/4) = 2.
    assert got["lift_top_decile"] == 2.0
    # Each score alone in its tenth: (.2 + .6 + .6 + .2) / 4 = .4.
    assert got["ece"] == pytest.approx(0.4, abs=1e-15)


def test_probabilities_of_0_and_1_are_clipped_so_log_loss_stays_finite():
    # Both customers scored with certainty, both wrong: each costs -ln(1e-7) = 7 ln 10 ≈ 16.12, not infinity.
    got = classification_metrics(np.array([1, 0]), np.array([0.0, 1.0]))
    assert got["log_loss"] == pytest.approx(7 * math.log(10), rel=1e-6)
    assert got["roc_auc"] == 0.0
    assert got["brier"] == pytest.approx(1.0, abs=1e-6)


def test_lift_breaks_ties_by_row_order_and_takes_at_least_one_customer():
    y = np.array([1, 1, 0, 0, 0, 0, 0, 0, 0, 0])
    same = np.full(10, 0.5)
    # Top 10 % = row 0 (churned): 1 / (2/10) = 5. Top 25 % = ⌈2.5⌉ = 3 rows, two churned: (2/3) / (2/10) = 10/3.
    assert lift_at(y, same, 0.1) == pytest.approx(5.0)
    assert lift_at(y, same, 0.25) == pytest.approx(10 / 3)
    # The churners last in row order: the tied top row did not churn.
    assert lift_at(y[::-1].copy(), same, 0.1) == 0.0
    # Ten per cent of four customers is less than one: one customer (.8, churned) → 2.
    assert lift_at(Y, P, 0.1) == 2.0


def test_summarize_folds_gives_mean_sample_std_and_standard_error():
    # .8 and .9: mean .85, s = √((.05² + .05²) / 1) = .05·√2, SE = s / √2 = .05.
    summary = summarize_folds([{"roc_auc": 0.8}, {"roc_auc": 0.9}], ["roc_auc"])
    assert summary["roc_auc"] == pytest.approx({"mean": 0.85, "std": 0.05 * math.sqrt(2), "se": 0.05})
    # One fold: no spread to measure.
    assert summarize_folds([{"roc_auc": 0.8}], ["roc_auc"]) == {"roc_auc": {"mean": 0.8, "std": 0.0, "se": 0.0}}


def test_best_f1_threshold_is_the_first_grid_point_of_the_best_f1():
    # Churners at .9 and .8, the others at .3 and .1: F1 is 1 from the first grid point above .3 (0.305;
    # at .3 itself .3 is predicted churn: F1 4/5) up to .8; the first one wins.
    assert best_f1_threshold(np.array([1, 1, 0, 0]), np.array([0.9, 0.8, 0.3, 0.1])) == (0.305, 1.0)
    # No churner: F1 is 0 everywhere, so the grid's first point.
    assert best_f1_threshold(np.array([0, 0]), np.array([0.9, 0.1])) == (0.05, 0.0)


def test_threshold_metrics_count_a_score_at_the_threshold_as_churn_and_give_0_for_0_over_0():
    at = threshold_metrics(Y, P, 0.6)
    # .8 TP, .6 FP (at the threshold), .4 FN, .2 TN.
    assert (at["tp"], at["fp"], at["fn"], at["tn"]) == (1, 1, 1, 1)
    assert (at["precision"], at["recall"], at["f1"], at["accuracy"]) == (0.5, 0.5, 0.5, 0.5)
    none = threshold_metrics(Y, P, 0.9)
    # Nobody predicted to churn: precision 0/0 → 0, recall 0/2, F1 0; accuracy 2/4.
    assert (none["precision"], none["recall"], none["f1"], none["accuracy"]) == (0.0, 0.0, 0.0, 0.5)

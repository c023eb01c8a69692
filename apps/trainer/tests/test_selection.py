"""The selection rule: a more complex family replaces a simpler one only when it gains more than two paired SEs."""

from __future__ import annotations

import numpy as np

from churn_trainer.config import SelectionConfig
from churn_trainer.selection import corrected_paired_se, select_model

FOLDS = 5
BASE = [0.84, 0.85, 0.83, 0.86, 0.85, 0.84, 0.86, 0.85, 0.83, 0.84]
NOISE = np.array([0.004, -0.003, 0.002, -0.004, 0.001, 0.003, -0.002, 0.004, -0.001, -0.004])


def shifted(gain_in_se: float) -> list[float]:
    """Fold AUCs whose paired differences with BASE have mean gain_in_se corrected SEs."""
    se = corrected_paired_se(NOISE, 1 / (FOLDS - 1))
    return list(np.array(BASE) + NOISE - NOISE.mean() + gain_in_se * se)


def test_a_complex_family_within_two_se_does_not_replace_the_simpler_one():
    decision = select_model(
        {"logistic_regression": BASE, "xgboost": shifted(1.9)},
        ["logistic_regression", "xgboost"],
        FOLDS,
        SelectionConfig(),
    )
    assert decision["name"] == "logistic_regression"
    assert decision["comparisons"][0]["replaces"] is False
    assert "simplest family" in decision["reason"]


def test_a_complex_family_beyond_two_se_replaces_it_and_later_ones_compare_with_the_new_choice():
    xgboost = shifted(2.5)
    stacking = list(np.array(xgboost) + NOISE[::-1])  # level with xgboost on average, better than logistic regression
    decision = select_model(
        {"logistic_regression": BASE, "xgboost": xgboost, "stacking": stacking},
        ["logistic_regression", "xgboost", "stacking"],
        FOLDS,
        SelectionConfig(),
    )
    assert decision["name"] == "xgboost"
    assert [(c["candidate"], c["against"], c["replaces"]) for c in decision["comparisons"]] == [
        ("xgboost", "logistic_regression", True),
        ("stacking", "xgboost", False),
    ]


def test_the_corrected_se_is_larger_than_the_plain_one_for_overlapping_folds():
    plain = NOISE.std(ddof=1) / np.sqrt(len(NOISE))
    assert corrected_paired_se(NOISE, 1 / (FOLDS - 1)) > plain


# Three folds (n_test/n_train = 1/2) and four paired differences 3/64, 1/64, 3/64, 1/64: mean gain 1/32;
# s² = 4 · (1/64)² / 3, corrected variance (1/4 + 1/2) · s² = (1/64)², so one paired SE is 1/64 and two are
# exactly the gain. Every number is a dyadic fraction, so the float arithmetic is exact too.
EDGE_FOLDS = 3
EDGE_BASE = [0.75, 0.8125, 0.875, 0.75]
EDGE_DIFF = np.array([3, 1, 3, 1]) / 64


def decide(candidate: list[float], cfg: SelectionConfig | None = None) -> dict:
    return select_model(
        {"logistic_regression": EDGE_BASE, "xgboost": candidate},
        ["logistic_regression", "xgboost"],
        EDGE_FOLDS,
        cfg or SelectionConfig(),
    )


def test_a_gain_of_exactly_two_se_does_not_replace_the_simpler_family():
    decision = decide(list(np.array(EDGE_BASE) + EDGE_DIFF))
    comparison = decision["comparisons"][0]
    assert (comparison["auc_gain"], comparison["paired_se"], comparison["needed"]) == (1 / 32, 1 / 64, 1 / 32)
    assert comparison["replaces"] is False
    assert decision["name"] == "logistic_regression"
    assert "closest: xgboost, +0.0312 against the 0.0312 needed" in decision["reason"]


def test_a_gain_just_above_two_se_replaces_it():
    # 1/1024 more on every fold: the SE stays 1/64, the gain is 1/32 + 1/1024 > 2/64.
    decision = decide(list(np.array(EDGE_BASE) + EDGE_DIFF + 1 / 1024))
    assert decision["comparisons"][0]["replaces"] is True
    assert decision["name"] == "xgboost"
    assert decision["reason"].startswith("gains +0.0322 CV ROC-AUC over logistic_regression")


def test_a_tie_keeps_the_simpler_family_even_with_no_gain_required():
    # Equal on every fold: gain 0, SE 0, needed 0 — and 0 is not more than 0.
    assert decide(list(EDGE_BASE))["name"] == "logistic_regression"
    assert decide(list(EDGE_BASE), SelectionConfig(min_gain_se=0))["name"] == "logistic_regression"
    # Level on average (+1/64, -1/64, +1/64, -1/64): gain 0 against the 1/32 needed (one SE 1/64, as above).
    level = decide(list(np.array(EDGE_BASE) + np.array([1, -1, 1, -1]) / 64))
    assert (level["comparisons"][0]["auc_gain"], level["comparisons"][0]["needed"]) == (0.0, 1 / 32)
    assert level["name"] == "logistic_regression"


def test_with_no_gain_required_any_positive_mean_gain_replaces():
    # 2/64 on every fold: gain 1/32 with SE 0.
    assert decide(list(np.array(EDGE_BASE) + 2 / 64), SelectionConfig(min_gain_se=0))["name"] == "xgboost"
    assert decide(list(np.array(EDGE_BASE) + 2 / 64))["name"] == "xgboost"


def test_one_fold_has_no_paired_se():
    assert corrected_paired_se(np.array([0.01]), 0.25) == 0.0

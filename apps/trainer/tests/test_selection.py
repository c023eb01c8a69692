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

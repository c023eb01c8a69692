"""Reliability curve and expected calibration error on tiny inputs whose figures are worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from churn_trainer.calibration import calibrated, expected_calibration_error, reliability_curve

# Four bins [0, .25) [.25, .5) [.5, .75) [.75, 1]: 0 and .25 open the first two, .5 and .74 share the third,
# 1.0 closes the last.
Y = np.array([0, 1, 0, 1, 1])
P = np.array([0.0, 0.25, 0.5, 0.74, 1.0])


def test_reliability_curve_bins_are_closed_on_the_left_and_the_last_one_holds_1():
    curve = reliability_curve(Y, P, 4)
    assert curve["edges"] == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert curve["counts"] == [1, 1, 2, 1]
    # Third bin: mean prediction (.5 + .74) / 2 = .62, observed 1 of 2.
    assert curve["mean_predicted"] == pytest.approx([0.0, 0.25, 0.62, 1.0], abs=1e-15)
    assert curve["observed_rate"] == [0.0, 1.0, 0.5, 1.0]


def test_reliability_curve_puts_a_score_on_a_tenth_in_that_tenth():
    # 0.3, 0.6 and 0.7 start their tenths (linspace's edges are 0.30000000000000004, 0.6000000000000001,
    # 0.7000000000000001: the bins must not be read off them).
    curve = reliability_curve(np.array([1, 0, 1]), np.array([0.3, 0.6, 0.7]), 10)
    assert curve["counts"] == [0, 0, 0, 1, 0, 0, 1, 1, 0, 0]


def test_an_empty_bin_has_a_count_of_0_and_no_rates():
    curve = reliability_curve(np.array([1, 0]), np.array([0.1, 0.2]), 4)
    assert curve["counts"] == [2, 0, 0, 0]
    assert curve["mean_predicted"][0] == pytest.approx(0.15)
    assert curve["observed_rate"][0] == 0.5
    assert all(math.isnan(v) for v in curve["mean_predicted"][1:] + curve["observed_rate"][1:])


def test_ece_weighs_each_bins_gap_by_its_count():
    # |0 - 0|·1/5 + |1 - .25|·1/5 + |.5 - .62|·2/5 + |1 - 1|·1/5 = .15 + .048 = .198.
    assert expected_calibration_error(Y, P, 4) == pytest.approx(0.198, abs=1e-15)


def test_ece_is_0_when_each_bin_observes_its_mean_prediction():
    # Half of the customers scored .5 churn; the one scored 1.0 churns; the one scored 0 does not.
    assert expected_calibration_error(np.array([1, 0, 1, 0, 1, 0]), np.array([0.5, 0.5, 0.5, 0.5, 1.0, 0.0]), 10) == 0.0


def test_ece_keeps_a_score_on_a_tenth_apart_from_the_tenth_below():
    # .3 (churned) opens [.3, .4) and .25 (stayed) is in [.2, .3): (|1 - .3| + |0 - .25|) / 2 = .475.
    # In one bin they would give |.5 - .275| = .225.
    assert expected_calibration_error(np.array([1, 0]), np.array([0.3, 0.25]), 10) == pytest.approx(0.475, abs=1e-15)


def test_the_calibrator_is_fitted_on_out_of_fold_predictions_of_one_model():
    calibrator = calibrated(LogisticRegression(), "sigmoid", 5, 7)
    assert (calibrator.method, calibrator.ensemble) == ("sigmoid", False)
    assert isinstance(calibrator.cv, StratifiedKFold)
    assert (calibrator.cv.n_splits, calibrator.cv.shuffle, calibrator.cv.random_state) == (5, True, 7)

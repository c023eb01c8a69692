"""The Telco spec and table give the committed model's figures: the spec-driven trainer must not change it.

The committed card was computed on another machine: ranks (ROC-AUC, PR-AUC, lift) are reproduced exactly,
probability metrics to about 1e-11 in CV and 1e-9 on the holdout, scored by ONNX in float32 (the last bits
of the float arithmetic differ between CPUs; the trainer before feature specs gives the same values as
this one on the same machine).
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import DEFAULT_CONFIG
from threadpoolctl import threadpool_limits

from churn_trainer.candidates import build_candidate
from churn_trainer.config import load_config
from churn_trainer.data import holdout_split
from churn_trainer.export_onnx import OnnxScorer, export_pipeline
from churn_trainer.metrics import classification_metrics
from churn_trainer.training import cross_validate

EXACT = ("roc_auc", "pr_auc", "lift_top_decile")
CV_TOLERANCE = 1e-9
HOLDOUT_TOLERANCE = 1e-7  # float32 ONNX outputs: one ulp of a probability is ~6e-8


def assert_same_metrics(got: dict, expected: dict, tolerance: float) -> None:
    for name in EXACT:
        assert got[name] == expected[name], name
    for name in ("brier", "log_loss", "ece"):
        assert got[name] == pytest.approx(expected[name], rel=0, abs=tolerance), name


@pytest.fixture(scope="module")
def default_config():
    # One repetition: the reported folds are the first repetition's.
    return load_config(DEFAULT_CONFIG).model_copy(update={"cv_repeats": 1})


def test_logistic_regression_cv_folds_match_the_committed_card(data, active_card, default_config):
    dev, _ = holdout_split(data, default_config.holdout_fraction, default_config.seed)
    with threadpool_limits(limits=1, user_api="blas"):
        cv = cross_validate(dev, default_config, ["logistic_regression"])
    expected = active_card["cv_metrics"]["candidates"]["logistic_regression"]["per_fold"]
    assert len(cv["logistic_regression"]["per_fold"]) == len(expected)
    for got, want in zip(cv["logistic_regression"]["per_fold"], expected, strict=True):
        assert_same_metrics(got, want, CV_TOLERANCE)


def test_selected_model_holdout_metrics_match_the_committed_card(data, active_card, default_config):
    selected = active_card["selected"]["name"]
    dev, hold = holdout_split(data, default_config.holdout_fraction, default_config.seed)
    with threadpool_limits(limits=1, user_api="blas"):
        model = build_candidate(selected, default_config, data.layout).fit(dev.X, dev.y)
    scorer = OnnxScorer(export_pipeline(model, data.layout, default_config.onnx_opset, default_config.onnx_ml_opset))
    got = classification_metrics(hold.y, scorer.predict(hold.X).astype(np.float64), default_config.calibration.ece_bins)
    assert_same_metrics(got, active_card["holdout_metrics"], HOLDOUT_TOLERANCE)

"""Blank and unknown values: reading the file, and scoring them through the ONNX graph."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from churn_trainer.candidates import build_candidate
from churn_trainer.data import holdout_split, prepare_features
from churn_trainer.export_onnx import OnnxScorer, export_pipeline, python_reference


def test_blank_total_charges_read_as_zero(data):
    new_customers = data.X[data.X["tenure"] == 0]
    assert len(new_customers) > 0
    assert (new_customers["TotalCharges"] == 0.0).all()
    assert not data.X["TotalCharges"].isna().any()


def test_prepare_features_types_and_blanks(data):
    raw = pd.DataFrame(
        {
            "gender": [" Female ", None],
            "SeniorCitizen": ["1", ""],
            "tenure": ["3", "abc"],
            "MonthlyCharges": ["70.35", " "],
            "TotalCharges": [" ", ""],
            "Contract": ["Month-to-month", ""],
        }
    )
    X = prepare_features(raw, data.layout)
    assert list(X.columns) == data.layout.names
    assert X.loc[0, "gender"] == "Female" and X.loc[1, "gender"] == ""
    assert X.loc[1, "Contract"] == "" and X.loc[0, "PaymentMethod"] == ""  # absent column -> blank
    assert X["TotalCharges"].tolist() == [0.0, 0.0]
    assert math.isnan(X.loc[1, "tenure"]) and math.isnan(X.loc[1, "MonthlyCharges"])
    # numerics are float32 values (what ONNX receives) held in float64
    assert X.loc[0, "MonthlyCharges"] == float(np.float32(70.35))
    for name in data.layout.names:
        assert X[name].dtype == (object if name in data.layout.string_inputs else np.float64)


@pytest.fixture(scope="module")
def small_model(data, test_config):
    dev, hold = holdout_split(data, 0.2, test_config.seed)
    model = build_candidate("logistic_regression", test_config, data.layout).fit(dev.X, dev.y)
    return model, OnnxScorer(export_pipeline(model, data.layout, 17, 3)), hold


def test_unknown_and_blank_categories_score_like_python(small_model):
    model, scorer, hold = small_model
    X = hold.X.iloc[:5].copy()
    X.loc[X.index[0], "Contract"] = "Three year"
    X.loc[X.index[1], "PaymentMethod"] = ""
    X.loc[X.index[2], "InternetService"] = "Satellite"
    onnx_p = scorer.predict(X)
    assert np.all(np.isfinite(onnx_p)) and np.all((onnx_p > 0) & (onnx_p < 1))
    np.testing.assert_allclose(onnx_p, python_reference(model, X), atol=1e-5)
    # An unknown category is "none of the known ones": it changes the score but never fails.
    assert onnx_p[0] != scorer.predict(hold.X.iloc[:1])[0]


def test_missing_numerics_are_imputed_in_graph(small_model):
    model, scorer, hold = small_model
    X = hold.X.iloc[:3].copy()
    zero_total = X.copy()
    zero_total["TotalCharges"] = 0.0
    X["TotalCharges"] = np.nan
    # NaN TotalCharges means "no invoice yet" = 0
    np.testing.assert_array_equal(scorer.predict(X), scorer.predict(zero_total))
    X.loc[X.index[0], "tenure"] = np.nan
    np.testing.assert_allclose(scorer.predict(X), python_reference(model, X), atol=1e-5)

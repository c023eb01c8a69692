"""Explanations of the committed model: additivity, fixtures, agreement with the shap package."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from churn_trainer.data import prepare_features
from churn_trainer.explain import ShapleyExplainer, shap_reference, top_k_agreement


@pytest.fixture(scope="module")
def explainer(active_card, active_scorer, data) -> ShapleyExplainer:
    e = active_card["explanation"]
    background = prepare_features(pd.DataFrame(e["background"]), data.layout)[e["feature_order"]]
    return ShapleyExplainer(active_scorer, background, e["permutations"], e["permutations_per_background"])


def test_baseline_matches_card(explainer, active_card):
    assert explainer.baseline == pytest.approx(active_card["explanation"]["baseline"], abs=1e-9)


def test_contributions_add_up(explainer, active_holdout, active_scorer):
    X = active_holdout.X.iloc[:200]
    result = explainer.explain(X)
    prediction = active_scorer.predict(X).astype(np.float64)  # a separate scoring call
    error = np.abs(result.contributions.sum(axis=1) - (prediction - explainer.baseline))
    assert error.max() <= 1e-6


def test_fixtures_reproduce(explainer, active_dir, data):
    fixtures = json.loads((active_dir / "explanation-fixtures.json").read_text())
    X = prepare_features(pd.DataFrame([c["attributes"] for c in fixtures["customers"]]), data.layout)
    result = explainer.explain(X)
    for i, customer in enumerate(fixtures["customers"]):
        assert result.probability[i] == pytest.approx(customer["churn_probability"], abs=1e-7)
        expected = np.array([customer["contributions"][f] for f in explainer.features])
        np.testing.assert_allclose(result.contributions[i], expected, rtol=0, atol=1e-9)


def test_top3_agrees_with_shap_on_200_holdout_customers(explainer, active_holdout, active_scorer, active_card):
    X = active_holdout.X.iloc[:200]
    ours = explainer.explain(X).contributions
    reference = shap_reference(
        active_scorer, explainer.background, X, max_evals=1000, seed=active_card["explanation"]["seed"]
    )
    agreement = top_k_agreement(ours, reference, k=3)
    assert agreement["customers"] == 200
    assert agreement["mean_overlap"] >= 0.80, agreement

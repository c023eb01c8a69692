"""A spec other than Telco's: a synthetic table with a numeric, a boolean, a closed and an open-ended
categorical, trained end to end (table -> model -> ONNX -> card)."""

from __future__ import annotations

import json

import numpy as np
import onnx
import pandas as pd
import pytest

from churn_trainer.data import TableError, load_table
from churn_trainer.export_onnx import OnnxScorer
from churn_trainer.spec import parse_spec_payload
from churn_trainer.training import train

COUNTRIES = [f"c{i:02d}" for i in range(12)]


def spec_payload() -> dict:
    """A normalized spec (defaults spelled out), as `bin/churn train` writes it."""
    source = {"event_type": "subscription.changed"}
    return {
        "name": "synthetic",
        "hash": "ab" * 32,
        "spec": {
            "version": 1,
            "name": "synthetic",
            "customer_id": {"column": "account_id"},
            "label": {"column": "churned", "positive": "true"},
            "attributes": [
                {
                    "name": "monthly_spend",
                    "column": "Monthly Spend",
                    "type": "numeric",
                    "optional": False,
                    "model_input": True,
                    "set_by": {**source, "field": "monthly_spend"},
                },
                {
                    "name": "auto_renew",
                    "type": "boolean",
                    "true_value": 1,
                    "false_value": 0,
                    "optional": False,
                    "model_input": True,
                    "set_by": {**source, "field": "auto_renew"},
                },
                {
                    "name": "plan",
                    "type": "categorical",
                    "categories": ["basic", "pro", "enterprise"],
                    "optional": False,
                    "model_input": True,
                    "set_by": {**source, "field": "plan"},
                },
                {
                    "name": "country",
                    "type": "categorical",
                    "max_categories": 4,
                    "other": "other",
                    "optional": False,
                    "model_input": True,
                    "set_by": {**source, "field": "country"},
                },
            ],
            "derived": [],
            "aggregates": [
                {
                    "name": "logins_30d",
                    "kind": "count",
                    "event_type": "user.logged_in",
                    "window_days": 30,
                    "model_input": False,
                }
            ],
        },
    }


def synthetic_table(rows: int = 800, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    spend = rng.gamma(4.0, 20.0, rows).round(2)
    renew = rng.random(rows) < 0.6
    plan = rng.choice(["basic", "pro", "enterprise"], rows, p=[0.5, 0.35, 0.15])
    # A skewed country mix: four frequent values, eight rare ones.
    weights = np.array([30, 25, 20, 15] + [1.25] * 8)
    country = rng.choice(COUNTRIES, rows, p=weights / weights.sum())
    logit = (
        -0.5 + 0.015 * (spend - 80) - 1.4 * renew + np.select([plan == "basic", plan == "enterprise"], [0.8, -0.9], 0)
    )
    logit += np.where(np.isin(country, COUNTRIES[:4]), 0.0, 1.0)
    churned = rng.random(rows) < 1 / (1 + np.exp(-logit))
    return pd.DataFrame(
        {
            "account_id": [f"A-{i:04d}" for i in range(rows)],
            "Monthly Spend": spend.astype(str),
            "auto_renew": renew.astype(int).astype(str),
            "plan": plan,
            "country": country,
            "churned": np.where(churned, "true", "false"),
        }
    )


@pytest.fixture(scope="module")
def trained(tmp_path_factory, test_config):
    folder = tmp_path_factory.mktemp("any-spec")
    table = folder / "accounts.csv"
    synthetic_table().to_csv(table, index=False)
    spec = parse_spec_payload(spec_payload())
    return train(table, folder / "models", test_config, spec, run_shap=False), table, spec


def test_onnx_inputs_are_the_spec_model_inputs(trained):
    target, _, _ = trained
    model = onnx.load(str(target / "model.onnx"))
    types = {i.name: i.type.tensor_type.elem_type for i in model.graph.input}
    assert list(types) == ["monthly_spend", "auto_renew", "plan", "country"]  # not logins_30d: not a model input
    assert types == {
        "monthly_spend": onnx.TensorProto.FLOAT,
        "auto_renew": onnx.TensorProto.FLOAT,
        "plan": onnx.TensorProto.STRING,
        "country": onnx.TensorProto.STRING,
    }


def test_card_records_the_spec_and_the_encodings(trained):
    target, _, _ = trained
    card = json.loads((target / "model-card.json").read_text())
    assert card["feature_spec"] == spec_payload()
    features = {f["name"]: f for f in card["features"]}
    assert features["monthly_spend"]["column"] == "Monthly Spend"
    assert features["auto_renew"]["allowed_values"] == [0.0, 1.0]
    assert features["plan"]["categories"] == ["basic", "enterprise", "pro"]
    # The four most frequent countries keep their category; the rest are the other bucket.
    assert features["country"]["open_ended"] is True and features["country"]["categories"] == COUNTRIES[:4]
    assert card["explanation"]["feature_order"] == [i["name"] for i in card["onnx"]["inputs"]] == list(features)
    predictions = pd.read_csv(target / "train-predictions.csv")
    assert list(predictions.columns) == ["account_id", "churn_probability"]
    assert card["training_data"]["churn_rate"] == pytest.approx((synthetic_table()["churned"] == "true").mean())


def test_a_boolean_column_may_spell_yes_and_no_in_words(trained):
    _, table, spec = trained
    frame = synthetic_table()
    words = frame.assign(auto_renew=frame["auto_renew"].map({"1": "Yes", "0": "no"}))
    layout = load_table(table, spec).layout
    from churn_trainer.data import prepare_features

    pd.testing.assert_frame_equal(prepare_features(words, layout), prepare_features(frame, layout))


def test_values_beyond_the_kept_categories_score_as_other(trained):
    target, table, spec = trained
    scorer = OnnxScorer(str(target / "model.onnx"))
    X = load_table(table, spec).X.iloc[:5].copy()
    rare, unseen = X.copy(), X.copy()
    rare["country"] = COUNTRIES[-1]
    unseen["country"] = "never-seen"
    np.testing.assert_array_equal(scorer.predict(rare), scorer.predict(unseen))
    kept = X.copy()
    kept["country"] = COUNTRIES[0]
    assert not np.array_equal(scorer.predict(kept), scorer.predict(unseen))


def test_a_table_that_does_not_match_its_spec_is_refused_with_every_problem(tmp_path):
    frame = synthetic_table(50)
    frame["email"] = "x@example.com"
    frame = frame.drop(columns=["plan"])
    path = tmp_path / "bad.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(TableError) as refused:
        load_table(path, parse_spec_payload(spec_payload()))
    assert refused.value.problems == ["missing column(s): plan", "column(s) the spec does not declare: email"]

    frame = synthetic_table(50)
    frame.loc[3, "auto_renew"] = "maybe"
    frame.loc[4, "plan"] = "gold"
    frame.loc[5, "Monthly Spend"] = "12 EUR"
    frame.loc[6, "country"] = ""
    frame.to_csv(path, index=False)
    with pytest.raises(TableError) as refused:
        load_table(path, parse_spec_payload(spec_payload()))
    assert refused.value.problems == [
        'column Monthly Spend: 1 value(s) are not a number (line 7: "12 EUR")',
        'column auto_renew: 1 value(s) are not a yes/no value (1 or 0, yes/no, true/false, 1/0, y/n) (line 5: "maybe")',
        'column plan: 1 value(s) are not one of "basic", "pro", "enterprise" (line 6: "gold")',
        "column country: 1 blank value(s) (line 8); declare the attribute optional: true if a customer may lack it",
    ]


def test_the_reference_histogram_of_an_open_ended_categorical_has_its_kept_values_and_other(trained):
    target, _, _ = trained
    card = json.loads((target / "model-card.json").read_text())
    assert card["reference_histograms"]["features"]["country"]["categories"] == sorted([*COUNTRIES[:4], "other"])


def test_the_explanation_background_has_no_missing_number():
    from churn_trainer.explain import sample_background

    X = pd.DataFrame({"n": [1.0, np.nan, 3.0, 4.0, np.nan, 6.0], "s": list("abcdef")})
    background = sample_background(X, 3, 0)
    assert len(background) == 3 and not background["n"].isna().any()

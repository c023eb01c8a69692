"""The exported graph scores like the Python model (float32 inputs) within 1e-5."""

from __future__ import annotations

import numpy as np
import onnx
import pandas as pd
import pytest

from churn_trainer.candidates import build_candidate
from churn_trainer.data import holdout_split
from churn_trainer.export_onnx import OUTPUT_NAME, OnnxScorer, export_pipeline, python_reference

TOLERANCE = 1e-5


@pytest.mark.parametrize("name", ["logistic_regression", "random_forest", "lightgbm", "xgboost", "stacking"])
def test_candidate_parity_on_holdout(name, data, test_config):
    cfg = test_config.model_copy(
        update={
            "candidates": test_config.candidates.model_copy(
                update={"stacking": test_config.candidates.stacking.model_copy(update={"enabled": True, "folds": 3})}
            )
        }
    )
    dev, hold = holdout_split(data, cfg.holdout_fraction, cfg.seed)
    model = build_candidate(name, cfg, data.layout).fit(dev.X, dev.y)
    scorer = OnnxScorer(export_pipeline(model, data.layout, cfg.onnx_opset, cfg.onnx_ml_opset))
    diff = np.abs(python_reference(model, hold.X) - scorer.predict(hold.X).astype(np.float64))
    assert diff.max() <= TOLERANCE, f"{name}: max |python - onnx| = {diff.max():.3g}"


def test_active_model_interface_matches_card(active_dir, active_card, data):
    model = onnx.load(str(active_dir / "model.onnx"))
    inputs = {i.name: i for i in model.graph.input}
    assert list(inputs) == [i["name"] for i in active_card["onnx"]["inputs"]]
    assert sorted(inputs) == sorted(data.layout.names)  # the Telco spec's model inputs
    for name, value in inputs.items():
        elem = value.type.tensor_type.elem_type
        assert elem == (onnx.TensorProto.STRING if name in data.layout.string_inputs else onnx.TensorProto.FLOAT)
        assert len(value.type.tensor_type.shape.dim) == 2
    assert [o.name for o in model.graph.output] == [OUTPUT_NAME] == [active_card["onnx"]["output"]["name"]]
    opsets = {o.domain or "ai.onnx": o.version for o in model.opset_import}
    assert opsets["ai.onnx"] <= 17 and opsets.get("ai.onnx.ml", 1) <= 3


def test_active_model_reproduces_committed_train_predictions(active_dir, active_scorer, data):
    expected = pd.read_csv(active_dir / "train-predictions.csv", dtype={"customerID": str})
    assert expected["customerID"].tolist() == data.ids.tolist()
    got = active_scorer.predict(data.X).astype(np.float64)
    np.testing.assert_allclose(got, expected["churn_probability"].to_numpy(), rtol=0, atol=1e-6)

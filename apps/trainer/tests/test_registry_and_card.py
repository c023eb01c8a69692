"""The committed registry entry and the machine-readable card the services read."""

from __future__ import annotations

import pytest
from conftest import DATA_PATH
from pydantic import ValidationError

from churn_trainer.config import TrainConfig
from churn_trainer.data import file_sha256


def test_active_points_at_complete_version(active_dir):
    for name in (
        "model.onnx",
        "model-card.json",
        "MODEL_CARD.md",
        "metrics.json",
        "train-predictions.csv",
        "explanation-fixtures.json",
    ):
        assert (active_dir / name).is_file(), name
    for plot in ("roc", "pr", "calibration", "lift", "importance"):
        assert (active_dir / "plots" / f"{plot}.png").is_file()


def test_card_contract(active_card, active_dir, data):
    card = active_card
    names = data.layout.names
    assert card["version"] == active_dir.name
    assert card["training_data"]["sha256"] == file_sha256(DATA_PATH)
    assert card["training_data"]["rows"] == 5634
    assert sorted(f["name"] for f in card["features"]) == sorted(names)
    for f in card["features"]:
        assert f["kind"] in ("categorical", "numeric")
        if f["kind"] == "categorical":
            assert f["onnx_type"] == "tensor(string)" and f["categories"]
        else:
            assert f["onnx_type"] == "tensor(float)" and f["min"] <= f["max"]
    assert set(card["reference_histograms"]["features"]) == set(names)
    assert sum(card["reference_histograms"]["score"]["counts"]) == 5634
    t = card["thresholds"]
    assert t["risk_levels"] == {"critical": 80, "high": 60, "medium": 40, "low": 0}
    assert 0 < t["decision_threshold"] < 1
    e = card["explanation"]
    assert 50 <= len(e["background"]) <= 100
    assert len(e["permutations"]) == len(e["background"]) * e["permutations_per_background"]
    assert all(sorted(p) == list(range(len(names))) for p in e["permutations"])
    assert e["cost_ms_per_customer_onnxruntime"] <= e["budget_ms_per_customer"]
    assert card["selected"]["name"] in card["cv_metrics"]["candidates"]
    assert set(card["global_importance"]["values"]) == set(names)


def test_model_files_are_small(active_dir):
    total = sum(p.stat().st_size for p in active_dir.rglob("*") if p.is_file())
    assert total < 5 * 1024 * 1024


def test_config_rejects_unknown_keys():
    with pytest.raises(ValidationError):
        TrainConfig.model_validate({"seed": 1, "learning_rate": 0.1})

"""Same data + same config => byte-identical metrics (and predictions)."""

from __future__ import annotations

from conftest import DATA_PATH

from churn_trainer.training import train


def test_two_runs_give_identical_metrics(tmp_path, test_config, telco_spec):
    first = train(DATA_PATH, tmp_path / "a", test_config, telco_spec, run_shap=False)
    second = train(DATA_PATH, tmp_path / "b", test_config, telco_spec, run_shap=False)
    assert (first / "metrics.json").read_bytes() == (second / "metrics.json").read_bytes()
    assert (first / "train-predictions.csv").read_bytes() == (second / "train-predictions.csv").read_bytes()
    for name in ("model.onnx", "model-card.json", "MODEL_CARD.md", "explanation-fixtures.json"):
        assert (first / name).is_file()
    for plot in ("roc", "pr", "calibration", "lift", "importance"):
        assert (first / "plots" / f"{plot}.png").stat().st_size > 1000

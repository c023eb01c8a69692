"""The card and metrics files must be strict JSON: the TypeScript services parse them with JSON.parse."""

import json
import math

from churn_trainer.jsonio import write_json


def test_non_finite_numbers_become_null(tmp_path):
    path = tmp_path / "card.json"
    write_json(path, {"roc_auc": math.nan, "lift": [2.5, math.inf], "segment": {"brier": -math.inf, "n": 3}}, indent=2)
    text = path.read_text()
    assert "NaN" not in text and "Infinity" not in text
    assert json.loads(text) == {"roc_auc": None, "lift": [2.5, None], "segment": {"brier": None, "n": 3}}

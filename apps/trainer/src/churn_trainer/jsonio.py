"""Strict JSON for the files other languages read (model card, metrics, fixtures).

Python's json writes NaN and Infinity, which JSON does not have and JSON.parse rejects. A metric
that does not exist (e.g. ROC-AUC of a segment with one class on a small training set) is written
as null instead.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value


def write_json(path: Path, data: Any, **kwargs: Any) -> None:
    path.write_text(json.dumps(_finite(data), allow_nan=False, **kwargs) + "\n")

"""The model registry on disk: models/<version>/ folders and the models/active pointer file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

ACTIVE_POINTER = "active"


def new_version(data_sha256: str, now: dt.datetime | None = None) -> str:
    """`vYYYYMMDD-HHMMSS-<first 8 hex of the training data sha256>` (UTC).

    Sorts chronologically as plain text and says which data the model was trained on.
    """
    now = now or dt.datetime.now(dt.UTC)
    return f"v{now:%Y%m%d-%H%M%S}-{data_sha256[:8]}"


def activate(models_dir: Path, version: str) -> None:
    if not (models_dir / version / "model.onnx").is_file():
        raise FileNotFoundError(f"{models_dir / version} holds no model.onnx")
    tmp = models_dir / f".{ACTIVE_POINTER}.tmp"
    tmp.write_text(version + "\n")
    tmp.replace(models_dir / ACTIVE_POINTER)  # atomic: readers never see a half-written pointer


def active_version(models_dir: Path) -> str:
    return (models_dir / ACTIVE_POINTER).read_text().strip()

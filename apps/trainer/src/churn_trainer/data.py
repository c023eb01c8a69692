"""Loading the Telco training file into the raw-attribute frame the model (and ONNX graph) sees."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from churn_trainer.features import CATEGORICAL_FEATURES, FEATURES, NUMERIC_FEATURES

ID_COLUMN = "customerID"
TARGET_COLUMN = "Churn"


@dataclass(frozen=True)
class Dataset:
    ids: pd.Series
    X: pd.DataFrame
    y: np.ndarray  # int 0/1

    def subset(self, index: np.ndarray) -> "Dataset":
        return Dataset(self.ids.iloc[index].reset_index(drop=True),
                       self.X.iloc[index].reset_index(drop=True), self.y[index])

    @property
    def churn_rate(self) -> float:
        return float(self.y.mean())


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def prepare_features(frame: pd.DataFrame) -> pd.DataFrame:
    """Raw Telco columns -> model inputs, exactly as the ONNX graph receives them.

    * Categoricals are strings; blank/missing becomes "" which the encoder treats as an
      unknown category (all-zero one-hot), the same as any unseen spelling.
    * Numerics are float32 (the ONNX input type) widened back to float64, so training and the
      parity reference see the very values serving sends.
    * A blank TotalCharges means "no invoice yet" and is 0 by contract; other blank numerics
      stay NaN and are imputed inside the graph with the training median.
    """
    out = pd.DataFrame(index=frame.index)
    for name in CATEGORICAL_FEATURES:
        col = frame[name] if name in frame else pd.Series("", index=frame.index)
        out[name] = col.fillna("").astype(str).str.strip()
    for name in NUMERIC_FEATURES:
        col = frame[name] if name in frame else pd.Series(np.nan, index=frame.index)
        # Anything that is not a number (blank, "abc", None) becomes NaN.
        values = pd.to_numeric(col.astype(str).str.strip(), errors="coerce")
        if name == "TotalCharges":
            values = values.fillna(0.0)
        out[name] = values.astype(np.float32).astype(np.float64)
    return out[FEATURES]


def load_telco(path: Path) -> Dataset:
    # keep_default_na=False: read every cell as written; blanks are interpreted per column above.
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    y = (frame[TARGET_COLUMN].str.strip() == "Yes").astype(int).to_numpy()
    return Dataset(frame[ID_COLUMN].reset_index(drop=True), prepare_features(frame), y)


def holdout_split(data: Dataset, fraction: float, seed: int) -> tuple[Dataset, Dataset]:
    """Stratified development/holdout split; the holdout is only used for reporting."""
    index = np.arange(len(data.y))
    dev_idx, hold_idx = train_test_split(index, test_size=fraction, stratify=data.y, random_state=seed)
    return data.subset(np.sort(dev_idx)), data.subset(np.sort(hold_idx))

"""Reading a customer table into the model-input frame the model (and ONNX graph) sees, as its spec says."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from churn_trainer.features import Layout
from churn_trainer.spec import FeatureSpec, ModelInput, boolean_of_cell

EXAMPLES_PER_COLUMN = 3


class TableError(ValueError):
    """The table does not match its spec; `problems` lists every one found (column, line, value)."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(
            f"{source}: {len(problems)} problem{'s' if len(problems) != 1 else ''} in the table:\n"
            + "\n".join(f"  - {p}" for p in problems)
        )


@dataclass(frozen=True)
class Dataset:
    ids: pd.Series
    X: pd.DataFrame
    y: np.ndarray  # int 0/1
    layout: Layout

    def subset(self, index: np.ndarray) -> Dataset:
        return Dataset(
            self.ids.iloc[index].reset_index(drop=True),
            self.X.iloc[index].reset_index(drop=True),
            self.y[index],
            self.layout,
        )

    @property
    def churn_rate(self) -> float:
        return float(self.y.mean())


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _numbers(col: pd.Series) -> pd.Series:
    # Anything that is not a number (blank, "abc", None) becomes NaN.
    return pd.to_numeric(col.astype(str).str.strip(), errors="coerce")


def prepare_features(frame: pd.DataFrame, layout: Layout) -> pd.DataFrame:
    """Table columns -> model inputs in the spec's order, exactly as the ONNX graph receives them.

    * String inputs (categoricals, booleans spelled as words) are strings; blank/missing becomes "",
      which the encoder treats as an unknown value (all-zero one-hot), the same as any unseen spelling
      and any value an open-ended categorical did not keep (its `other` bucket).
    * Numeric inputs are float32 (the ONNX input type) widened back to float64, so training and the
      parity reference see the very values serving sends.
    * A blank sum or count (e.g. lifetime charges before the first invoice) is 0; other blank numerics
      stay NaN and are imputed inside the graph with the training median.
    """
    out = pd.DataFrame(index=frame.index)
    for f in layout.inputs:
        if f.encoding in ("boolean_string", "boolean_number") and f.column in frame:
            out[f.name] = _booleans(frame[f.column], f)
            continue
        if f.is_string:
            col = frame[f.column] if f.column in frame else pd.Series("", index=frame.index)
            out[f.name] = col.fillna("").astype(str).str.strip()
            continue
        values = _numbers(frame[f.column]) if f.column in frame else pd.Series(np.nan, index=frame.index)
        if f.zero_when_missing:
            values = values.fillna(0.0)
        out[f.name] = values.astype(np.float32).astype(np.float64)
    return out[[f.name for f in layout.inputs]]


def _booleans(col: pd.Series, f: ModelInput) -> pd.Series:
    """A boolean column in any spelling (yes/no, true/false, 1/0, y/n, or the attribute's own) as the model
    spells true and false; a blank is missing ("" or NaN), any other value is kept as written (a string
    input encodes it as all zeros; a float input reads it as a number, NaN if it is none)."""
    text = col.fillna("").astype(str).str.strip()
    meaning = text.map(lambda cell: boolean_of_cell(cell, f.true_value, f.false_value))
    if f.encoding == "boolean_string":
        return text.where(meaning.isna(), meaning.map({True: f.true_value, False: f.false_value}))
    values = _numbers(text).where(meaning.isna(), meaning.map({True: f.true_value, False: f.false_value}))
    return values.astype(np.float64).astype(np.float32).astype(np.float64)


def _value_problems(frame: pd.DataFrame, f: ModelInput, optional: bool) -> list[str]:
    text = frame[f.column].fillna("").astype(str).str.strip()
    blank = text == ""
    if f.encoding == "numeric":
        bad = ~blank & ~np.isfinite(_numbers(text).to_numpy(dtype=np.float64, na_value=np.nan))
        expected = "a number"
    elif f.encoding in ("boolean_string", "boolean_number"):
        bad = ~blank & text.map(lambda cell: boolean_of_cell(cell, f.true_value, f.false_value) is None)
        expected = f"a yes/no value ({_num(f.true_value)} or {_num(f.false_value)}, yes/no, true/false, 1/0, y/n)"
    elif f.encoding == "closed":
        bad = ~blank & ~text.isin(list(f.categories))
        expected = "one of " + ", ".join(f'"{c}"' for c in f.categories)
    else:
        bad = pd.Series(False, index=frame.index)
        expected = ""
    problems = []
    if bad.any():
        lines = [f'line {i + 2}: "{text.iloc[i]}"' for i in np.flatnonzero(bad.to_numpy())[:EXAMPLES_PER_COLUMN]]
        problems.append(f"column {f.column}: {int(bad.sum())} value(s) are not {expected} ({'; '.join(lines)})")
    if not optional and f.section == "attributes" and blank.any():
        lines = [f"line {i + 2}" for i in np.flatnonzero(blank.to_numpy())[:EXAMPLES_PER_COLUMN]]
        problems.append(
            f"column {f.column}: {int(blank.sum())} blank value(s) ({', '.join(lines)}); "
            "declare the attribute optional: true if a customer may lack it"
        )
    return problems


def _num(value: str | float) -> str:
    return value if isinstance(value, str) else (str(int(value)) if float(value).is_integer() else str(value))


def check_table(frame: pd.DataFrame, spec: FeatureSpec, source: str) -> None:
    """Every mismatch between the table and its spec: columns, ids, labels and values."""
    problems = []
    expected = [spec.id_column, spec.label_column, *(f.column for f in spec.inputs)]
    missing = [c for c in expected if c is not None and c not in frame.columns]
    if spec.label_column is None:
        problems.append("the spec has no label: training needs label.column and label.positive")
    if missing:
        problems.append(f"missing column(s): {', '.join(missing)}")
    extra = [c for c in frame.columns if c not in expected and c not in spec.unused_columns]
    if extra:
        problems.append(f"column(s) the spec does not declare: {', '.join(extra)}")
    if problems:
        raise TableError(source, problems)
    ids = frame[spec.id_column].astype(str).str.strip()
    if (ids == "").any():
        problems.append(
            f"column {spec.id_column} (the customer id): blank on line {int(np.flatnonzero(ids == '')[0]) + 2}"
        )
    repeated = ids[ids.duplicated() & (ids != "")]
    if len(repeated):
        problems.append(f"column {spec.id_column} (the customer id): {repeated.iloc[0]} appears more than once")
    labels = frame[spec.label_column].astype(str).str.strip()
    if (labels == "").any():
        problems.append(
            f"column {spec.label_column} (the label): blank on line {int(np.flatnonzero(labels == '')[0]) + 2}"
        )
    elif labels.nunique() != 2 or spec.positive not in set(labels):
        problems.append(
            f'column {spec.label_column} (the label): needs two values, one of them "{spec.positive}" '
            f"(the spec's positive value); found {', '.join(sorted(set(labels))[:10])}"
        )
    optional = {a["name"]: a.get("optional", False) for a in spec.spec.get("attributes", [])}
    for f in spec.inputs:
        problems += _value_problems(frame, f, optional.get(f.name, True))
    if problems:
        raise TableError(source, problems)


def read_table(path: Path) -> pd.DataFrame:
    # keep_default_na=False: read every cell as written; blanks are interpreted per column.
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.columns = [c.strip() for c in frame.columns]
    return frame


def load_table(path: Path, spec: FeatureSpec) -> Dataset:
    """A training table checked against its spec, as model inputs and 0/1 labels."""
    frame = read_table(path)
    check_table(frame, spec, str(path))
    layout = Layout.from_table(spec, frame)
    y = (frame[spec.label_column].str.strip() == spec.positive).astype(int).to_numpy()
    return Dataset(frame[spec.id_column].reset_index(drop=True), prepare_features(frame, layout), y, layout)


def holdout_split(data: Dataset, fraction: float, seed: int) -> tuple[Dataset, Dataset]:
    """Stratified development/holdout split; the holdout is only used for reporting."""
    index = np.arange(len(data.y))
    dev_idx, hold_idx = train_test_split(index, test_size=fraction, stratify=data.y, random_state=seed)
    return data.subset(np.sort(dev_idx)), data.subset(np.sort(hold_idx))

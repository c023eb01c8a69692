"""The feature specification as the trainer reads it: which table columns are model inputs and how each
is encoded.

The spec arrives already validated and normalized (defaults applied) as JSON, written by
`bin/churn train` from the YAML with libs/feature-spec: `{"name", "hash", "spec"}`, the block the
model card records as `feature_spec`. The trainer never parses the YAML itself, so the rules of the
format live in one place.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

# Derived features and aggregates whose value before the first event is 0 (a sum or a count): a blank
# cell means "nothing yet", never "unknown".
ZERO_WHEN_NONE = {
    ("derived", "lifetime_sum"),
    ("derived", "lifetime_count"),
    ("aggregates", "count"),
    ("aggregates", "sum"),
}

Encoding = Literal["numeric", "boolean_number", "boolean_string", "closed", "open"]


# Spellings of a yes/no value in a table, lower-cased, yes first: a boolean column may use any of them in
# any case, besides the attribute's own true_value / false_value (libs/feature-spec boolean-spellings.ts).
BOOLEAN_PAIRS = [("yes", "no"), ("true", "false"), ("1", "0"), ("y", "n")]


def _spelled(value: str | float) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def boolean_of_cell(text: str, true_value: str | float, false_value: str | float) -> bool | None:
    """A table cell as a boolean: the attribute's own spelling of true or false, or one of BOOLEAN_PAIRS."""
    cell = text.strip()
    if cell == _spelled(true_value):
        return True
    if cell == _spelled(false_value):
        return False
    lower = cell.lower()
    if any(lower == yes for yes, _ in BOOLEAN_PAIRS):
        return True
    if any(lower == no for _, no in BOOLEAN_PAIRS):
        return False
    return None


class SpecError(ValueError):
    """The spec payload is not a normalized feature spec the trainer can use."""


@dataclass(frozen=True)
class ModelInput:
    """One model input: a numeric (float32) or a string (one-hot) ONNX input."""

    name: str
    column: str
    section: Literal["attributes", "derived", "aggregates"]
    encoding: Encoding
    # closed: the spec's categories; boolean_string: [false_value, true_value]; open: None (learned).
    categories: tuple[str, ...] | None = None
    max_categories: int | None = None
    other: str | None = None
    true_value: str | float | None = None
    false_value: str | float | None = None
    zero_when_missing: bool = False
    months_since_first: bool = False
    description: str = ""

    @property
    def is_string(self) -> bool:
        return self.encoding in ("boolean_string", "closed", "open")


@dataclass(frozen=True)
class FeatureSpec:
    name: str
    hash: str
    spec: dict
    id_column: str
    label_column: str | None
    positive: str | None
    inputs: tuple[ModelInput, ...]
    # Features the spec declares but the model does not read: a table may carry them.
    unused_columns: tuple[str, ...]

    @property
    def input_names(self) -> list[str]:
        return [f.name for f in self.inputs]

    @property
    def string_inputs(self) -> set[str]:
        return {f.name for f in self.inputs if f.is_string}

    def card_block(self) -> dict:
        return {"name": self.name, "hash": self.hash, "spec": self.spec}


def _attribute_input(a: dict) -> ModelInput:
    common = {
        "name": a["name"],
        "column": a.get("column") or a["name"],
        "section": "attributes",
        "description": a.get("description", ""),
    }
    if a["type"] == "numeric":
        return ModelInput(encoding="numeric", **common)
    if a["type"] == "boolean":
        t, f = a["true_value"], a["false_value"]
        if isinstance(t, str):
            return ModelInput(encoding="boolean_string", categories=(f, t), true_value=t, false_value=f, **common)
        return ModelInput(encoding="boolean_number", true_value=float(t), false_value=float(f), **common)
    if a.get("categories"):
        return ModelInput(encoding="closed", categories=tuple(a["categories"]), **common)
    return ModelInput(encoding="open", max_categories=int(a["max_categories"]), other=a.get("other", "other"), **common)


def _computed_input(section: str, f: dict) -> ModelInput:
    return ModelInput(
        name=f["name"],
        column=f["name"],
        section=section,
        encoding="numeric",
        zero_when_missing=(section, f["kind"]) in ZERO_WHEN_NONE,
        months_since_first=f["kind"] == "months_since_first",
        description=f.get("description", ""),
    )


def parse_spec_payload(payload: dict) -> FeatureSpec:
    try:
        spec = payload["spec"]
        label = spec.get("label")
        declared = [(a, _attribute_input(a)) for a in spec.get("attributes", [])]
        declared += [(d, _computed_input("derived", d)) for d in spec.get("derived", [])]
        declared += [(g, _computed_input("aggregates", g)) for g in spec.get("aggregates", [])]
        inputs = tuple(m for raw, m in declared if raw.get("model_input", True))
        unused = tuple(m.column for raw, m in declared if not raw.get("model_input", True))
        result = FeatureSpec(
            name=payload.get("name") or spec.get("name") or "unnamed",
            hash=payload["hash"],
            spec=spec,
            id_column=spec["customer_id"]["column"],
            label_column=label["column"] if label else None,
            positive=label["positive"] if label else None,
            inputs=inputs,
            unused_columns=unused,
        )
    except (KeyError, TypeError) as error:
        raise SpecError(f"not a normalized feature spec payload (missing {error})") from error
    if not inputs:
        raise SpecError("the spec has no model input")
    return result


def load_spec_payload(path: Path) -> FeatureSpec:
    return parse_spec_payload(json.loads(Path(path).read_text()))

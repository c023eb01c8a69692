"""The model inputs a spec declares, and the preprocessing that lives inside the model.

The preprocessing is a scikit-learn ColumnTransformer so that skl2onnx puts it into the ONNX
graph: serving passes raw attributes and cannot drift from training.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import KBinsDiscretizer, OneHotEncoder, StandardScaler

from churn_trainer.spec import FeatureSpec, ModelInput


def kept_values(values: pd.Series, cap: int) -> list[str]:
    """An open-ended categorical's `cap` most frequent non-blank values (ties: the smaller value first)."""
    counts = values[values != ""].value_counts()
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [value for value, _ in ranked[:cap]]


@dataclass(frozen=True)
class Layout:
    """What the graph is built from: the model inputs (ONNX input order = the spec's order), the order of
    the columns inside the graph, and every string input's one-hot categories."""

    inputs: tuple[ModelInput, ...]
    # The training table's column order: random forests draw features by position, so a table gives the
    # same model whatever order its spec lists the features in.
    graph_order: tuple[str, ...]
    categories: dict[str, list[str]]

    @classmethod
    def from_table(cls, spec: FeatureSpec, frame: pd.DataFrame) -> Layout:
        position = {column: i for i, column in enumerate(frame.columns)}
        ordered = sorted(spec.inputs, key=lambda f: position.get(f.column, len(position)))
        categories = {}
        for f in spec.inputs:
            if f.encoding == "open":
                column = (
                    frame[f.column].fillna("").astype(str).str.strip()
                    if f.column in frame
                    else pd.Series([], dtype=str)
                )
                categories[f.name] = sorted(kept_values(column, f.max_categories))
            elif f.is_string:
                categories[f.name] = sorted(f.categories)
        return cls(tuple(spec.inputs), tuple(f.name for f in ordered), categories)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.inputs]

    @property
    def string_inputs(self) -> set[str]:
        return {f.name for f in self.inputs if f.is_string}

    def by_name(self, name: str) -> ModelInput:
        return next(f for f in self.inputs if f.name == name)

    def _graph(self, keep) -> list[str]:
        return [n for n in self.graph_order if keep(self.by_name(n))]

    @property
    def string_columns(self) -> list[str]:
        return self._graph(lambda f: f.is_string)

    @property
    def median_columns(self) -> list[str]:
        return self._graph(lambda f: not f.is_string and not f.zero_when_missing)

    @property
    def zero_columns(self) -> list[str]:
        return self._graph(lambda f: not f.is_string and f.zero_when_missing)

    @property
    def binned_columns(self) -> list[str]:
        """Months since a first event (tenure): its churn curve is steep early, which bins let a linear model follow."""
        return self._graph(lambda f: f.months_since_first)


def _numeric_imputers(layout: Layout, scale: bool) -> list[tuple[str, Pipeline, list[str]]]:
    """NaN handling inside the graph: sums and counts -> 0 (nothing yet), other numerics -> median."""

    def chain(imputer: SimpleImputer) -> Pipeline:
        steps = [("impute", imputer)]
        if scale:
            steps.append(("scale", StandardScaler()))
        return Pipeline(steps)

    groups = [
        ("num", chain(SimpleImputer(strategy="median")), layout.median_columns),
        ("zero", chain(SimpleImputer(strategy="constant", fill_value=0.0)), layout.zero_columns),
    ]
    return [g for g in groups if g[2]]


def _one_hot(layout: Layout) -> list[tuple[str, OneHotEncoder, list[str]]]:
    columns = layout.string_columns
    if not columns:
        return []
    # Unknown or blank values (and an open-ended categorical's values beyond its cap, its `other`
    # bucket) encode as all zeros rather than failing at serving time.
    encoder = OneHotEncoder(
        categories=[layout.categories[n] for n in columns], handle_unknown="ignore", sparse_output=False
    )
    return [("cat", encoder, columns)]


def linear_preprocessor(layout: Layout, bins: int) -> ColumnTransformer:
    """One-hot string inputs, standardised numerics and optional quantile bins of tenure-like features."""
    transformers: list = [*_one_hot(layout), *_numeric_imputers(layout, scale=True)]
    if bins > 0 and layout.binned_columns:
        binner = Pipeline(
            [
                ("impute", SimpleImputer(strategy="median")),
                ("bins", KBinsDiscretizer(n_bins=bins, encode="onehot-dense", strategy="quantile")),
            ]
        )
        transformers.append(("tenure_bins", binner, layout.binned_columns))
    return ColumnTransformer(transformers, remainder="drop", verbose_feature_names_out=False)


def tree_preprocessor(layout: Layout) -> ColumnTransformer:
    """One-hot string inputs and raw numerics: trees need no scaling."""
    return ColumnTransformer(
        [*_one_hot(layout), *_numeric_imputers(layout, scale=False)], remainder="drop", verbose_feature_names_out=False
    )

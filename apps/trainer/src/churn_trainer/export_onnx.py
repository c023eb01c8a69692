"""Export a fitted candidate pipeline as one ONNX graph: raw attributes in, churn probability out.

skl2onnx converts the preprocessing and scikit-learn models; LightGBM and XGBoost are converted
by onnxmltools' converters registered into skl2onnx, so they also convert inside calibrators
and the stacking ensemble.
"""

from __future__ import annotations

import functools
import time

import numpy as np
import onnx
import onnxruntime as ort
import pandas as pd
from lightgbm import LGBMClassifier
from onnx import TensorProto, helper
from onnxmltools.convert.lightgbm.operator_converters.LightGbm import convert_lightgbm
from onnxmltools.convert.xgboost.operator_converters.XGBoost import convert_xgboost
from skl2onnx import convert_sklearn, update_registered_converter
from skl2onnx.common.data_types import FloatTensorType, StringTensorType
from skl2onnx.common.shape_calculator import calculate_linear_classifier_output_shapes
from sklearn.pipeline import Pipeline
from xgboost import XGBClassifier

from churn_trainer.features import Layout

OUTPUT_NAME = "churn_probability"


@functools.cache
def register_converters() -> None:
    options = {"nocl": [True, False], "zipmap": [True, False, "columns"]}
    update_registered_converter(
        LGBMClassifier,
        "LightGbmLGBMClassifier",
        calculate_linear_classifier_output_shapes,
        convert_lightgbm,
        options=options,
    )
    update_registered_converter(
        XGBClassifier,
        "XGBoostXGBClassifier",
        calculate_linear_classifier_output_shapes,
        convert_xgboost,
        options=options,
    )


def onnx_input_types(layout: Layout) -> list[tuple[str, object]]:
    """One [N, 1] input per model input, in the spec's order: strings for one-hot inputs, float32 for numerics."""
    strings = layout.string_inputs
    return [
        (name, StringTensorType([None, 1]) if name in strings else FloatTensorType([None, 1])) for name in layout.names
    ]


def _prune_to_outputs(model: onnx.ModelProto, outputs: list[str]) -> None:
    """Drop nodes that do not feed `outputs` (the label/ArgMax branch of classifier converters)."""
    needed = set(outputs)
    kept = []
    for node in reversed(model.graph.node):
        if any(o in needed for o in node.output):
            kept.append(node)
            needed.update(i for i in node.input if i)
    kept.reverse()
    del model.graph.node[:]
    model.graph.node.extend(kept)
    inits = [i for i in model.graph.initializer if i.name in needed]
    del model.graph.initializer[:]
    model.graph.initializer.extend(inits)


def export_pipeline(
    pipeline: Pipeline, layout: Layout, opset: int, ml_opset: int, metadata: dict[str, str] | None = None
) -> onnx.ModelProto:
    register_converters()
    model = convert_sklearn(
        pipeline,
        initial_types=onnx_input_types(layout),
        target_opset={"": opset, "ai.onnx.ml": ml_opset},
        options={id(pipeline): {"zipmap": False}},
    )
    prob_name = next(o.name for o in model.graph.output if o.name.startswith("probabilities"))
    # probabilities is [N, 2] (class 0, class 1); services read a single [N] tensor of P(churn).
    index = helper.make_tensor("churn_class_index", TensorProto.INT64, [], [1])
    model.graph.initializer.append(index)
    model.graph.node.append(
        helper.make_node(
            "Gather", [prob_name, "churn_class_index"], [OUTPUT_NAME], axis=1, name="select_churn_probability"
        )
    )
    del model.graph.output[:]
    model.graph.output.append(helper.make_tensor_value_info(OUTPUT_NAME, TensorProto.FLOAT, [None]))
    _prune_to_outputs(model, [OUTPUT_NAME])
    model.doc_string = "Churn Radar: raw model inputs of a feature spec -> calibrated churn probability"
    for key, value in (metadata or {}).items():
        model.metadata_props.append(onnx.StringStringEntryProto(key=key, value=value))
    onnx.checker.check_model(model)
    return model


def onnx_feeds(X: pd.DataFrame) -> dict[str, np.ndarray]:
    """DataFrame of prepared model inputs -> ONNX feed dict (what the TypeScript scorer builds).

    String inputs are the frame's object columns, numerics its float columns (see data.prepare_features).
    """
    feeds: dict[str, np.ndarray] = {}
    for name in X.columns:
        column = X[name].to_numpy()
        if X[name].dtype == object:
            feeds[name] = column.astype(object).reshape(-1, 1)
        else:
            feeds[name] = column.astype(np.float32).reshape(-1, 1)
    return feeds


class OnnxScorer:
    """Scores prepared frames with onnxruntime, single-threaded like one serving worker."""

    def __init__(self, model: onnx.ModelProto | bytes | str, threads: int = 1) -> None:
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        payload = model.SerializeToString() if isinstance(model, onnx.ModelProto) else model
        self.session = ort.InferenceSession(payload, options, providers=["CPUExecutionProvider"])

    def predict_feeds(self, feeds: dict[str, np.ndarray]) -> np.ndarray:
        return self.session.run([OUTPUT_NAME], feeds)[0].reshape(-1)

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """float32 churn probabilities, one per row."""
        return self.predict_feeds(onnx_feeds(X))


def python_reference(pipeline: Pipeline, X: pd.DataFrame) -> np.ndarray:
    """The Python model's probabilities on float32-cast numerics (what ONNX receives)."""
    cast = X.copy()
    for name in X.columns:
        if X[name].dtype != object:
            cast[name] = cast[name].astype(np.float32).astype(np.float64)
    return pipeline.predict_proba(cast)[:, 1]


def parity_max_abs_diff(pipeline: Pipeline, scorer: OnnxScorer, X: pd.DataFrame) -> float:
    return float(np.max(np.abs(python_reference(pipeline, X) - scorer.predict(X).astype(np.float64))))


def microseconds_per_row(scorer: OnnxScorer, X: pd.DataFrame, rows: int, repeats: int = 5) -> float:
    """Best-of-`repeats` wall time of one batched call, per row (single thread)."""
    batch = X.sample(n=rows, replace=len(X) < rows, random_state=0) if len(X) != rows else X
    feeds = onnx_feeds(batch)
    scorer.predict_feeds(feeds)  # warm-up
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        scorer.predict_feeds(feeds)
        best = min(best, time.perf_counter() - start)
    return best / len(batch) * 1e6

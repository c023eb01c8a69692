"""Per-customer explanations: sampled Shapley values over the raw attributes.

Method ("antithetic permutation chains over a background sample", interventional Shapley):

* A background sample of B raw customer rows and, for each background row i, M fixed
  permutations of the d feature indices are part of the model card; no RNG at serving time.
* Chains are enumerated in this order: for i in 0..B-1, for k in 0..M-1: the permutation
  P[i*M+k] walked forward, then the same permutation reversed (antithetic pair, lower variance).
* Walking a chain for customer x starts from z = background row i and replaces z's attributes
  one at a time with x's in the chain's order; after each replacement the model is evaluated.
  The change in model output is that attribute's marginal contribution for the chain.
  The value before the first step is f(background row i); the value after the last step is
  f(x) (all attributes replaced), evaluated once per customer.
* contribution[j] = sum over the 2*B*M chains of j's marginal contributions / (2*B*M),
  accumulated in float64 from the float32 model outputs.

Every chain telescopes to f(x) - f(b_i) and every background row carries the same number of
chains, so the contributions add up to f(x) - baseline exactly (up to float64 rounding),
where baseline = mean of f over the background rows. One customer costs 2*B*M*(d-1) + 1
rows of model evaluation, all in one batched ONNX call.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from churn_trainer.export_onnx import OnnxScorer


def make_permutations(n_features: int, count: int, seed: int) -> list[list[int]]:
    rng = np.random.default_rng(seed)
    return [rng.permutation(n_features).tolist() for _ in range(count)]


def sample_background(X: pd.DataFrame, size: int, seed: int) -> pd.DataFrame:
    """`size` customers without a missing number: the card carries them as JSON, which has no NaN."""
    complete = X[~X.select_dtypes(exclude=object).isna().any(axis=1)]
    pool = complete if len(complete) >= size else X
    return pool.sample(n=size, random_state=seed).reset_index(drop=True)


@dataclass
class ExplanationResult:
    probability: np.ndarray  # (n,) f(x) as evaluated inside the explanation batch
    contributions: np.ndarray  # (n, d) in probability units, columns in the model's input order
    baseline: float


class ShapleyExplainer:
    """Reference implementation of the algorithm the TypeScript scorer re-implements.

    The background's columns are the model inputs in their order (the explanation's feature order);
    object columns are string inputs.
    """

    def __init__(
        self,
        scorer: OnnxScorer,
        background: pd.DataFrame,
        permutations: list[list[int]],
        permutations_per_background: int,
    ) -> None:
        self.scorer = scorer
        self.features = list(background.columns)
        self.background = background.reset_index(drop=True)
        self.d = len(self.features)
        self.m = permutations_per_background
        b = len(self.background)
        if len(permutations) != b * self.m:
            raise ValueError("need permutations_per_background permutations per background row")
        orders: list[list[int]] = []
        chain_background: list[int] = []
        for i in range(b):
            for k in range(self.m):
                forward = list(permutations[i * self.m + k])
                orders += [forward, forward[::-1]]
                chain_background += [i, i]
        self.orders = np.array(orders, dtype=np.int64)  # (C, d)
        self.chain_background = np.array(chain_background, dtype=np.int64)  # (C,)
        self.n_chains = len(orders)
        # position[c, j]: step at which chain c replaces feature j.
        position = np.empty_like(self.orders)
        rows = np.arange(self.n_chains)[:, None]
        position[rows, self.orders] = np.arange(self.d)[None, :]
        # Intermediate coalitions: after steps 0..d-2 (step d-1 gives x itself).
        steps = np.arange(self.d - 1)
        self.take_x = (position[:, None, :] <= steps[None, :, None]).reshape(-1, self.d)  # (C*(d-1), d)
        self.row_background = np.repeat(self.chain_background, self.d - 1)
        self.background_values = scorer.predict(self.background).astype(np.float64)
        self.baseline = float(self.background_values.mean())

    @property
    def rows_per_customer(self) -> int:
        return self.n_chains * (self.d - 1) + 1

    def _feeds(self, X: pd.DataFrame) -> dict[str, np.ndarray]:
        feeds: dict[str, np.ndarray] = {}
        for j, name in enumerate(self.features):
            is_cat = self.background[name].dtype == object
            dtype = object if is_cat else np.float32
            bg = self.background[name].to_numpy().astype(dtype)[self.row_background]
            x = X[name].to_numpy().astype(dtype)
            mixed = np.where(self.take_x[None, :, j], x[:, None], bg[None, :])  # (n, C*(d-1))
            column = np.concatenate([mixed, x[:, None]], axis=1).reshape(-1)
            feeds[name] = column.astype(dtype).reshape(-1, 1)
        return feeds

    def explain(self, X: pd.DataFrame, batch_customers: int = 8) -> ExplanationResult:
        X = X[self.features].reset_index(drop=True)
        probs, contribs = [], []
        for start in range(0, len(X), batch_customers):
            part = X.iloc[start : start + batch_customers]
            out = self.scorer.predict_feeds(self._feeds(part)).astype(np.float64)
            out = out.reshape(len(part), self.rows_per_customer)
            for values in out:
                probs.append(values[-1])
                contribs.append(self._accumulate(values))
        return ExplanationResult(
            np.array(probs), np.vstack(contribs) if contribs else np.zeros((0, self.d)), self.baseline
        )

    def _accumulate(self, values: np.ndarray) -> np.ndarray:
        fx = values[-1]
        chains = values[:-1].reshape(self.n_chains, self.d - 1)
        # Values along each chain: f(b_i), intermediate coalitions, f(x).
        path = np.concatenate(
            [self.background_values[self.chain_background][:, None], chains, np.full((self.n_chains, 1), fx)], axis=1
        )
        steps = np.diff(path, axis=1)  # (C, d) marginal contribution of orders[c, s]
        phi = np.zeros(self.d)
        np.add.at(phi, self.orders.reshape(-1), steps.reshape(-1))
        return phi / self.n_chains

    def milliseconds_per_customer(self, X: pd.DataFrame, customers: int = 64, batch_customers: int = 8) -> float:
        sample = X.iloc[:customers]
        self.explain(sample.iloc[:batch_customers], batch_customers)  # warm-up
        start = time.perf_counter()
        self.explain(sample, batch_customers)
        return (time.perf_counter() - start) / len(sample) * 1e3


def top_features(contributions: np.ndarray, k: int = 3) -> list[list[int]]:
    """Top-k feature indices by |contribution| (ties by feature order), per customer."""
    order = np.argsort(-np.abs(contributions), axis=1, kind="stable")[:, :k]
    return [list(row) for row in order]


def top_k_agreement(ours: np.ndarray, reference: np.ndarray, k: int = 3) -> dict[str, float]:
    a, b = top_features(ours, k), top_features(reference, k)
    overlap = [len(set(x) & set(y)) / k for x, y in zip(a, b, strict=True)]
    exact = [set(x) == set(y) for x, y in zip(a, b, strict=True)]
    return {
        "mean_overlap": float(np.mean(overlap)),
        "exact_set_match": float(np.mean(exact)),
        "customers": len(a),
        "k": k,
    }


def shap_reference(
    scorer: OnnxScorer, background: pd.DataFrame, X: pd.DataFrame, max_evals: int, seed: int
) -> np.ndarray:
    """shap's PermutationExplainer on the same ONNX model function and the same background.

    shap maskers need numeric matrices, so categoricals are passed as integer codes and decoded
    back to the raw strings inside the model function.
    """
    import shap  # imported lazily: heavy (numba) and only needed for the comparison

    features = list(background.columns)
    codes: dict[str, list[str]] = {}
    for name in features:
        if background[name].dtype == object:
            codes[name] = sorted(set(background[name]) | set(X[name]))

    def encode(frame: pd.DataFrame) -> np.ndarray:
        cols = []
        for name in features:
            if name in codes:
                lookup = {v: i for i, v in enumerate(codes[name])}
                cols.append(frame[name].map(lookup).to_numpy(dtype=np.float64))
            else:
                cols.append(frame[name].to_numpy(dtype=np.float64))
        return np.column_stack(cols)

    def model_fn(matrix: np.ndarray) -> np.ndarray:
        frame = {}
        for j, name in enumerate(features):
            if name in codes:
                frame[name] = np.array(codes[name], dtype=object)[matrix[:, j].astype(np.int64)]
            else:
                frame[name] = matrix[:, j]
        return scorer.predict(pd.DataFrame(frame)).astype(np.float64)

    bg = encode(background)
    masker = shap.maskers.Independent(bg, max_samples=len(bg))
    explainer = shap.explainers.Permutation(model_fn, masker, seed=seed)
    result = explainer(encode(X), max_evals=max_evals, silent=True)
    return np.asarray(result.values)

"""Training configuration: a YAML file validated into typed pydantic models.

Every number that changes the trained model lives here, so that "same data + same config"
is the whole recipe for a byte-identical set of metrics.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LogisticRegressionParams(_Strict):
    enabled: bool = True
    C: float = Field(0.5, gt=0, description="Inverse L2 regularisation strength.")
    tenure_bins: int = Field(
        6,
        ge=0,
        description="Quantile bins of each months-since-first feature (tenure) added as one-hot columns "
        "(0 = none): lets a linear model follow the steep early-tenure churn curve.",
    )
    max_iter: int = 2000


class RandomForestParams(_Strict):
    enabled: bool = True
    n_estimators: int = Field(200, ge=1)
    max_depth: int | None = 10
    min_samples_leaf: int = Field(10, ge=1)
    max_features: float | Literal["sqrt", "log2"] = "sqrt"


class LightGBMParams(_Strict):
    enabled: bool = True
    n_estimators: int = Field(300, ge=1)
    learning_rate: float = Field(0.03, gt=0)
    num_leaves: int = Field(8, ge=2)
    max_depth: int = -1
    min_child_samples: int = Field(40, ge=1)
    subsample: float = Field(0.8, gt=0, le=1)
    colsample_bytree: float = Field(0.8, gt=0, le=1)
    reg_lambda: float = Field(1.0, ge=0)


class XGBoostParams(_Strict):
    enabled: bool = True
    n_estimators: int = Field(300, ge=1)
    learning_rate: float = Field(0.03, gt=0)
    max_depth: int = Field(3, ge=1)
    min_child_weight: float = Field(5.0, ge=0)
    subsample: float = Field(0.8, gt=0, le=1)
    colsample_bytree: float = Field(0.8, gt=0, le=1)
    reg_lambda: float = Field(1.0, ge=0)


class StackingParams(_Strict):
    """The deployment guide's stacked ensemble: RF + LightGBM + XGBoost base learners whose
    out-of-fold probabilities feed a logistic-regression meta-learner."""

    enabled: bool = True
    folds: int = Field(5, ge=2, description="Folds producing the out-of-fold base predictions.")
    meta_C: float = Field(1.0, gt=0)


class CandidatesConfig(_Strict):
    logistic_regression: LogisticRegressionParams = LogisticRegressionParams()
    random_forest: RandomForestParams = RandomForestParams()
    lightgbm: LightGBMParams = LightGBMParams()
    xgboost: XGBoostParams = XGBoostParams()
    stacking: StackingParams = StackingParams()


class CalibrationConfig(_Strict):
    method: Literal["sigmoid", "isotonic"] = Field(
        "sigmoid", description="Platt (sigmoid) or isotonic, fitted on out-of-fold predictions."
    )
    folds: int = Field(5, ge=2)
    ece_bins: int = Field(10, ge=2)


class SelectionConfig(_Strict):
    min_gain_se: float = Field(
        2.0,
        ge=0,
        description="A more complex candidate replaces a simpler one only when its mean CV ROC-AUC is "
        "higher by more than this many paired standard errors.",
    )


class ExplanationConfig(_Strict):
    background_size: int = Field(50, ge=2, le=200)
    permutations_per_background: int = Field(
        1, ge=1, description="Random permutations per background row; each is also walked reversed (antithetic)."
    )
    seed: int = 20240601
    budget_ms_per_customer: float = 5.0
    shap_customers: int = Field(200, ge=1)
    shap_max_evals: int = Field(4000, ge=100)
    importance_rows: int = Field(1000, ge=1)


class ThresholdsConfig(_Strict):
    critical: int = 80
    high: int = 60
    medium: int = 40


class TrainConfig(_Strict):
    seed: int = 42
    holdout_fraction: float = Field(0.2, gt=0, lt=1)
    cv_folds: int = Field(5, ge=2)
    cv_repeats: int = Field(
        3,
        ge=1,
        description="Repetitions of the stratified k-fold CV, each with new folds, for the selection rule; "
        "the first repetition's folds are those of the reported CV metrics and the decision threshold.",
    )
    n_jobs: int = Field(2, ge=1, le=2, description="Threads for tree learners; the machine has 2 cores.")
    refit_on_full: bool = Field(
        True, description="Refit the selected model on the whole file after the holdout report."
    )
    onnx_opset: int = 17
    onnx_ml_opset: int = 3
    timing_rows: int = 2000
    candidates: CandidatesConfig = CandidatesConfig()
    calibration: CalibrationConfig = CalibrationConfig()
    selection: SelectionConfig = SelectionConfig()
    explanation: ExplanationConfig = ExplanationConfig()
    risk_levels: ThresholdsConfig = ThresholdsConfig()

    def digest(self) -> str:
        """Stable hash of the effective configuration (defaults included)."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(canonical.encode()).hexdigest()


DEFAULT_CONFIG_PATH = Path(__file__).resolve().parents[2] / "config" / "default.yaml"


def load_config(path: Path | None = None) -> TrainConfig:
    path = path or DEFAULT_CONFIG_PATH
    raw = yaml.safe_load(path.read_text()) or {}
    return TrainConfig.model_validate(raw)

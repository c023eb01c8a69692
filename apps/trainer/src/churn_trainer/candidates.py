"""The candidate models: each is one scikit-learn Pipeline from raw attributes to probability."""

from __future__ import annotations

from collections.abc import Callable

from lightgbm import LGBMClassifier
from sklearn.ensemble import RandomForestClassifier, StackingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from xgboost import XGBClassifier

from churn_trainer.calibration import calibrated
from churn_trainer.config import TrainConfig
from churn_trainer.features import Layout, linear_preprocessor, tree_preprocessor

# Simplest family first: the selection rule walks this order.
CANDIDATE_ORDER = ["logistic_regression", "random_forest", "lightgbm", "xgboost", "stacking"]

CANDIDATE_LABELS = {
    "logistic_regression": "Logistic regression",
    "random_forest": "Random forest",
    "lightgbm": "LightGBM",
    "xgboost": "XGBoost",
    "stacking": "Stacked ensemble (RF + LightGBM + XGBoost -> logistic regression)",
}


def _random_forest(cfg: TrainConfig) -> RandomForestClassifier:
    p = cfg.candidates.random_forest
    return RandomForestClassifier(
        n_estimators=p.n_estimators,
        max_depth=p.max_depth,
        min_samples_leaf=p.min_samples_leaf,
        max_features=p.max_features,
        random_state=cfg.seed,
        # n_jobs=1: with threads, predict_proba sums the trees' votes in whatever order the
        # threads finish, so probabilities (and metrics) change in the last bits between runs.
        n_jobs=1,
    )


def _lightgbm(cfg: TrainConfig) -> LGBMClassifier:
    p = cfg.candidates.lightgbm
    return LGBMClassifier(
        n_estimators=p.n_estimators,
        learning_rate=p.learning_rate,
        num_leaves=p.num_leaves,
        max_depth=p.max_depth,
        min_child_samples=p.min_child_samples,
        subsample=p.subsample,
        subsample_freq=1,
        colsample_bytree=p.colsample_bytree,
        reg_lambda=p.reg_lambda,
        random_state=cfg.seed,
        n_jobs=cfg.n_jobs,
        # deterministic + row-wise histograms: identical trees on every run and thread count.
        deterministic=True,
        force_row_wise=True,
        verbose=-1,
    )


def _xgboost(cfg: TrainConfig) -> XGBClassifier:
    p = cfg.candidates.xgboost
    return XGBClassifier(
        n_estimators=p.n_estimators,
        learning_rate=p.learning_rate,
        max_depth=p.max_depth,
        min_child_weight=p.min_child_weight,
        subsample=p.subsample,
        colsample_bytree=p.colsample_bytree,
        reg_lambda=p.reg_lambda,
        tree_method="hist",
        n_jobs=cfg.n_jobs,
        random_state=cfg.seed,
        eval_metric="logloss",
    )


def _calibrated(cfg: TrainConfig, estimator) -> object:
    c = cfg.calibration
    return calibrated(estimator, c.method, c.folds, cfg.seed)


def build_candidate(name: str, cfg: TrainConfig, layout: Layout) -> Pipeline:
    """A fresh, unfitted pipeline for candidate `name`."""
    if name == "logistic_regression":
        p = cfg.candidates.logistic_regression
        lr = LogisticRegression(C=p.C, max_iter=p.max_iter)
        return Pipeline([("prep", linear_preprocessor(layout, p.tenure_bins)), ("model", _calibrated(cfg, lr))])
    if name == "random_forest":
        return Pipeline([("prep", tree_preprocessor(layout)), ("model", _calibrated(cfg, _random_forest(cfg)))])
    if name == "lightgbm":
        return Pipeline([("prep", tree_preprocessor(layout)), ("model", _calibrated(cfg, _lightgbm(cfg)))])
    if name == "xgboost":
        return Pipeline([("prep", tree_preprocessor(layout)), ("model", _calibrated(cfg, _xgboost(cfg)))])
    if name == "stacking":
        p = cfg.candidates.stacking
        # The meta-learner is a logistic regression fitted on out-of-fold base probabilities:
        # that is Platt scaling of the ensemble already, so no second calibrator is wrapped round it.
        stack = StackingClassifier(
            estimators=[("rf", _random_forest(cfg)), ("lgbm", _lightgbm(cfg)), ("xgb", _xgboost(cfg))],
            final_estimator=LogisticRegression(C=p.meta_C, max_iter=1000),
            cv=StratifiedKFold(n_splits=p.folds, shuffle=True, random_state=cfg.seed),
            stack_method="predict_proba",
            n_jobs=1,
        )
        return Pipeline([("prep", tree_preprocessor(layout)), ("model", stack)])
    raise ValueError(f"unknown candidate {name!r}")


def enabled_candidates(cfg: TrainConfig) -> list[str]:
    return [n for n in CANDIDATE_ORDER if getattr(cfg.candidates, n).enabled]


CandidateFactory = Callable[[str, TrainConfig, Layout], Pipeline]

"""The training run: CV of candidates, selection, holdout report, refit, export, explanations, card."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import tempfile
from pathlib import Path

import numpy as np
import onnx
import pandas as pd
from sklearn.model_selection import StratifiedKFold
from threadpoolctl import threadpool_limits

from churn_trainer import plots
from churn_trainer.calibration import reliability_curve
from churn_trainer.candidates import CANDIDATE_LABELS, build_candidate, enabled_candidates
from churn_trainer.card import build_card, render_markdown
from churn_trainer.config import TrainConfig
from churn_trainer.data import Dataset, file_sha256, holdout_split, load_table
from churn_trainer.explain import (
    ShapleyExplainer,
    make_permutations,
    sample_background,
    shap_reference,
    top_k_agreement,
)
from churn_trainer.export_onnx import OnnxScorer, export_pipeline, microseconds_per_row, parity_max_abs_diff
from churn_trainer.features import Layout
from churn_trainer.jsonio import write_json
from churn_trainer.metrics import best_f1_threshold, classification_metrics, summarize_folds, threshold_metrics
from churn_trainer.registry import activate, new_version
from churn_trainer.selection import select_model
from churn_trainer.spec import FeatureSpec

log = logging.getLogger("churn_trainer")

PARITY_TOLERANCE = 1e-5
ADDITIVITY_TOLERANCE = 1e-6
UNSEEN_VALUE = "(a value the model has not seen)"


def _fmt(metrics: dict[str, float]) -> str:
    return " ".join(f"{k}={v:.4f}" for k, v in metrics.items())


def cross_validate(data: Dataset, cfg: TrainConfig, names: list[str]) -> dict:
    """Repeated stratified k-fold CV on the development split; the same folds for every candidate.

    The first repetition's folds give the reported metrics, the out-of-fold predictions and the decision
    threshold; every repetition's ROC-AUC feeds the selection rule.
    """
    repeats = [
        list(StratifiedKFold(n_splits=cfg.cv_folds, shuffle=True, random_state=cfg.seed + r).split(data.X, data.y))
        for r in range(cfg.cv_repeats)
    ]
    results = {}
    for name in names:
        oof = np.zeros(len(data.y))
        per_fold = []
        repeated_auc = []
        last_fold_model = None
        for r, folds in enumerate(repeats):
            for tr, te in folds:
                fitted = build_candidate(name, cfg, data.layout).fit(data.X.iloc[tr], data.y[tr])
                p = fitted.predict_proba(data.X.iloc[te])[:, 1]
                metrics = classification_metrics(data.y[te], p, cfg.calibration.ece_bins)
                repeated_auc.append(metrics["roc_auc"])
                if r == 0:
                    oof[te] = p
                    per_fold.append(metrics)
                    last_fold_model = fitted
        summary = summarize_folds(per_fold)
        repeated = {
            "repeats": cfg.cv_repeats,
            "folds": cfg.cv_folds,
            "fold_seeds": [cfg.seed + r for r in range(cfg.cv_repeats)],
            "roc_auc_per_fold": repeated_auc,
            "roc_auc": summarize_folds([{"roc_auc": v} for v in repeated_auc], ["roc_auc"])["roc_auc"],
        }
        log.info(
            "cv %-20s roc_auc=%.4f±%.4f brier=%.4f lift10=%.3f | %dx%d folds roc_auc=%.4f",
            name,
            summary["roc_auc"]["mean"],
            summary["roc_auc"]["std"],
            summary["brier"]["mean"],
            summary["lift_top_decile"]["mean"],
            cfg.cv_repeats,
            cfg.cv_folds,
            repeated["roc_auc"]["mean"],
        )
        results[name] = {
            "per_fold": per_fold,
            "summary": summary,
            "oof": oof,
            "last_fold_model": last_fold_model,
            "pooled_oof": classification_metrics(data.y, oof, cfg.calibration.ece_bins),
            "repeated": repeated,
        }
    return results


def _segments(X: pd.DataFrame, y: np.ndarray, p: np.ndarray, layout: Layout) -> dict[str, list[dict]]:
    """Holdout metrics per value of every closed categorical and boolean model input."""

    def row(label: str, mask: np.ndarray) -> dict:
        ys, ps = y[mask], p[mask]
        out = {
            "segment": label,
            "customers": int(mask.sum()),
            "churn_rate": float(ys.mean()) if len(ys) else None,
            "mean_predicted": float(ps.mean()) if len(ps) else None,
            "brier": float(np.mean((ps - ys) ** 2)) if len(ys) else None,
            "roc_auc": None,
        }
        if len(set(ys.tolist())) == 2:
            out["roc_auc"] = classification_metrics(ys, ps)["roc_auc"]
        return out

    segments = {}
    for f in layout.inputs:
        if f.encoding in ("closed", "boolean_string"):
            segments[f.name] = [row(v, (X[f.name] == v).to_numpy()) for v in layout.categories[f.name]]
        elif f.encoding == "boolean_number":
            segments[f.name] = [
                row(f"{label} ({v:g})", (X[f.name] == v).to_numpy())
                for label, v in (("false", f.false_value), ("true", f.true_value))
            ]
    return segments


def _histograms(X: pd.DataFrame, scores: np.ndarray, layout: Layout) -> dict:
    """Reference distributions for drift monitoring (PSI etc.) on the full training file."""
    out = {}
    for name in X.columns:
        col = X[name]
        f = layout.by_name(name)
        if f.encoding == "open":
            # The kept values and the other bucket: what the model tells apart.
            col = col.where(col.isin(layout.categories[name]) | (col == ""), f.other)
        if col.dtype == object:
            counts = col.value_counts().sort_index()
            out[name] = {
                "kind": "categorical",
                "categories": counts.index.tolist(),
                "counts": [int(c) for c in counts],
                "proportions": [float(c) / len(col) for c in counts],
            }
            continue
        values = col.to_numpy(dtype=np.float64)
        values = values[np.isfinite(values)]
        if values.size == 0:
            values = np.zeros(1)
        if np.unique(values).size <= 2:
            edges = np.array([-0.5, 0.5, 1.5])
        else:
            edges = np.linspace(values.min(), values.max(), 11)
        counts, _ = np.histogram(np.clip(values, edges[0], edges[-1]), bins=edges)
        out[name] = {
            "kind": "numeric",
            "edges": edges.tolist(),
            "counts": counts.tolist(),
            "proportions": (counts / len(values)).tolist(),
        }
    edges = np.linspace(0.0, 1.0, 11)
    counts, _ = np.histogram(scores, bins=edges)
    out["score"] = {
        "kind": "numeric",
        "edges": edges.tolist(),
        "counts": counts.tolist(),
        "proportions": (counts / len(scores)).tolist(),
    }
    return out


def _card_features(X: pd.DataFrame, spec: FeatureSpec, layout: Layout) -> list[dict]:
    """The card's `features`: what the scorer validates a vector against, in the model's input order."""
    optional = {a["name"]: a.get("optional", False) for a in spec.spec.get("attributes", [])}
    features = []
    for f in layout.inputs:
        item: dict = {"name": f.name, "column": f.column, "section": f.section}
        if f.is_string:
            item.update(
                {
                    "kind": "categorical",
                    "onnx_type": "tensor(string)",
                    "shape": [None, 1],
                    "categories": layout.categories[f.name],
                }
            )
            if f.encoding == "open":
                item.update({"open_ended": True, "max_categories": f.max_categories, "other": f.other})
        else:
            values = X[f.name].to_numpy(dtype=np.float64)
            finite = values[np.isfinite(values)]
            item.update(
                {
                    "kind": "numeric",
                    "onnx_type": "tensor(float)",
                    "shape": [None, 1],
                    "min": float(finite.min()) if finite.size else 0.0,
                    "max": float(finite.max()) if finite.size else 0.0,
                }
            )
            if f.encoding == "boolean_number":
                item["allowed_values"] = sorted([f.false_value, f.true_value])
            if f.zero_when_missing:
                item["missing_means"] = 0.0
        if f.encoding in ("boolean_string", "boolean_number"):
            item["boolean"] = {"true": f.true_value, "false": f.false_value}
        # An optional attribute, and a computed feature that is missing before its first event (a mean, a
        # last value, days since, a trend), may be missing: NaN is imputed in the graph, "" encodes as zeros.
        if optional.get(f.name, f.section != "attributes" and not f.zero_when_missing and not f.months_since_first):
            item["optional"] = True
        item["description"] = (
            f.description or f"{f.section[:-1] if f.section != 'derived' else 'derived feature'} {f.name}"
        )
        features.append(item)
    return features


def _raw_row(X: pd.DataFrame, i: int) -> dict:
    return {name: (str(X[name].iloc[i]) if X[name].dtype == object else float(X[name].iloc[i])) for name in X.columns}


def _fixture_frame(data: Dataset, hold: Dataset) -> tuple[pd.DataFrame, list[str]]:
    """Six holdout customers, the first customer with nothing summed yet (e.g. no invoice), and a copy of
    the first with an unseen value and a blank in its string inputs."""
    frames, ids = [hold.X.iloc[:6]], list(hold.ids.iloc[:6])
    zero = data.layout.zero_columns
    if zero:
        first = np.flatnonzero(data.X[zero[0]].to_numpy() == 0)[:1]
        frames.append(data.X.iloc[first])
        ids += list(data.ids.iloc[first])
    fixture_X = pd.concat(frames, ignore_index=True)
    strings = data.layout.string_columns
    if strings:
        unknown = fixture_X.iloc[[0]].copy()
        unknown[strings[0]] = UNSEEN_VALUE  # encoded as all zeros
        unknown[strings[-1]] = ""  # blank: all zeros too
        fixture_X = pd.concat([fixture_X, unknown], ignore_index=True)
        ids.append("synthetic-unknown-categories")
    return fixture_X, ids


def train(
    data_path: Path,
    out_dir: Path,
    cfg: TrainConfig,
    spec: FeatureSpec,
    activate_version: bool = False,
    run_shap: bool = True,
) -> Path:
    # Multi-threaded BLAS splits dot products differently from run to run, which moves the last
    # bits of LBFGS solutions; one BLAS thread keeps metrics byte-identical (the data is small).
    with threadpool_limits(limits=1, user_api="blas"):
        return _train(data_path, out_dir, cfg, spec, activate_version, run_shap)


def _train(
    data_path: Path, out_dir: Path, cfg: TrainConfig, spec: FeatureSpec, activate_version: bool, run_shap: bool
) -> Path:
    data = load_table(data_path, spec)
    layout = data.layout
    data_sha = file_sha256(data_path)
    created_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
    version = new_version(data_sha, created_at)
    log.info(
        "training %s on %s (%d rows, churn rate %.3f) with spec %s (%s, %d model inputs)",
        version,
        data_path,
        len(data.y),
        data.churn_rate,
        spec.name,
        spec.hash[:12],
        len(layout.inputs),
    )

    dev, hold = holdout_split(data, cfg.holdout_fraction, cfg.seed)
    log.info("development split %d rows, holdout %d rows", len(dev.y), len(hold.y))

    names = enabled_candidates(cfg)
    cv = cross_validate(dev, cfg, names)

    costs = {}
    for name in names:
        scorer = OnnxScorer(export_pipeline(cv[name]["last_fold_model"], layout, cfg.onnx_opset, cfg.onnx_ml_opset))
        costs[name] = microseconds_per_row(scorer, dev.X, cfg.timing_rows)
        log.info("onnx cost %-20s %.2f us/row", name, costs[name])

    decision = select_model(
        {n: cv[n]["repeated"]["roc_auc_per_fold"] for n in names}, names, cfg.cv_folds, cfg.selection
    )
    selected = decision["selected"]
    log.info("selected %s: %s", selected, decision["reason"])

    # Holdout report: the selected pipeline fitted on the development split only.
    dev_model = build_candidate(selected, cfg, layout).fit(dev.X, dev.y)
    dev_onnx = export_pipeline(dev_model, layout, cfg.onnx_opset, cfg.onnx_ml_opset)
    dev_scorer = OnnxScorer(dev_onnx)
    hold_p = dev_scorer.predict(hold.X).astype(np.float64)
    dev_parity = parity_max_abs_diff(dev_model, dev_scorer, hold.X)
    holdout_metrics = classification_metrics(hold.y, hold_p, cfg.calibration.ece_bins)
    log.info("holdout %s", _fmt(holdout_metrics))

    threshold, _ = best_f1_threshold(dev.y, cv[selected]["oof"])
    thresholds = {
        "decision_threshold": threshold,
        "decision_threshold_rule": "maximises F1 on the selected model's out-of-fold CV predictions",
        "risk_score": "round(100 * churn_probability)",
        "risk_levels": {
            "critical": cfg.risk_levels.critical,
            "high": cfg.risk_levels.high,
            "medium": cfg.risk_levels.medium,
            "low": 0,
        },
        "risk_level_rule": "critical if risk_score >= critical, else high if >= high, else medium if >= medium, else low",
    }
    holdout_at_threshold = threshold_metrics(hold.y, hold_p, threshold)

    final_model = build_candidate(selected, cfg, layout).fit(data.X, data.y) if cfg.refit_on_full else dev_model
    metadata = {
        "churn_radar_version": version,
        "output": "churn_probability",
        "training_data_sha256": data_sha,
        "feature_spec_sha256": spec.hash,
    }
    final_onnx = export_pipeline(final_model, layout, cfg.onnx_opset, cfg.onnx_ml_opset, metadata)
    scorer = OnnxScorer(final_onnx)
    final_parity = parity_max_abs_diff(final_model, scorer, hold.X)
    if max(final_parity, dev_parity) > PARITY_TOLERANCE:
        raise RuntimeError(f"ONNX parity failed: max |diff| {max(final_parity, dev_parity):.3g}")
    log.info("onnx parity on holdout: max |python - onnx| = %.3g", final_parity)
    train_p = scorer.predict(data.X)

    # Explanations.
    e = cfg.explanation
    background = sample_background(data.X, e.background_size, e.seed)
    permutations = make_permutations(len(layout.names), e.background_size * e.permutations_per_background, e.seed)
    explainer = ShapleyExplainer(scorer, background, permutations, e.permutations_per_background)
    ms_per_customer = explainer.milliseconds_per_customer(hold.X)
    rows = explainer.rows_per_customer
    model_ms_per_customer = microseconds_per_row(scorer, data.X, rows) * rows / 1e3
    log.info(
        "explanation cost: %.2f ms/customer in Python (%.2f ms of it in onnxruntime), %d rows/customer",
        ms_per_customer,
        model_ms_per_customer,
        explainer.rows_per_customer,
    )
    imp_X = data.X.iloc[: e.importance_rows]
    imp = explainer.explain(imp_X)
    additivity = float(np.max(np.abs(imp.contributions.sum(axis=1) - (imp.probability - imp.baseline))))
    if additivity > ADDITIVITY_TOLERANCE:
        raise RuntimeError(f"explanations do not add up: {additivity:.3g}")
    mean_abs = np.abs(imp.contributions).mean(axis=0)
    order = np.argsort(-mean_abs, kind="stable")
    global_importance = {layout.names[j]: float(mean_abs[j]) for j in order}

    shap_summary = None
    if run_shap:
        shap_X = hold.X.iloc[: e.shap_customers]
        ours = explainer.explain(shap_X)
        reference = shap_reference(scorer, background, shap_X, e.shap_max_evals, e.seed)
        shap_summary = top_k_agreement(ours.contributions, reference)
        shap_summary.update(
            {
                "explainer": "shap.explainers.Permutation",
                "max_evals": e.shap_max_evals,
                "background": "same background rows",
                "customers_from": "holdout split",
                "mean_abs_difference": float(np.mean(np.abs(ours.contributions - reference))),
            }
        )
        log.info(
            "shap top-3 agreement: mean overlap %.3f, exact set match %.3f",
            shap_summary["mean_overlap"],
            shap_summary["exact_set_match"],
        )

    fixture_X, fixture_ids = _fixture_frame(data, hold)
    fx = explainer.explain(fixture_X)
    fixtures = {
        "tolerance": {"probability": 1e-6, "contributions": 1e-6},
        "baseline": fx.baseline,
        "customers": [
            {
                "customerID": cid,
                "attributes": _raw_row(fixture_X, i),
                "churn_probability": float(fx.probability[i]),
                "contributions": {name: float(fx.contributions[i, j]) for j, name in enumerate(layout.names)},
            }
            for i, cid in enumerate(fixture_ids)
        ],
    }

    # Write the version folder atomically (temp dir, then rename).
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{version}.", dir=out_dir))
    staging.chmod(0o755)  # mkdtemp makes it private; services run as other users
    try:
        (staging / "plots").mkdir()
        onnx.save(final_onnx, staging / "model.onnx")
        pd.DataFrame({spec.id_column: data.ids, "churn_probability": [repr(float(v)) for v in train_p]}).to_csv(
            staging / "train-predictions.csv", index=False
        )
        write_json(staging / "explanation-fixtures.json", fixtures, indent=2)

        title = CANDIDATE_LABELS[selected]
        plots.roc_plot(
            hold.y, hold_p, holdout_metrics["roc_auc"], f"ROC (holdout) - {title}", staging / "plots" / "roc.png"
        )
        plots.pr_plot(
            hold.y, hold_p, holdout_metrics["pr_auc"], "Precision-recall (holdout)", staging / "plots" / "pr.png"
        )
        plots.calibration_plot(
            hold.y,
            hold_p,
            cfg.calibration.ece_bins,
            holdout_metrics["ece"],
            "Reliability (holdout)",
            staging / "plots" / "calibration.png",
        )
        plots.lift_plot(hold.y, hold_p, "Holdout", staging / "plots" / "lift.png")
        plots.importance_plot(
            global_importance, "Global importance (mean |Shapley|)", staging / "plots" / "importance.png"
        )

        metrics = {
            "training_data_sha256": data_sha,
            "config_sha256": cfg.digest(),
            "feature_spec_sha256": spec.hash,
            "cv": {
                n: {
                    "summary": cv[n]["summary"],
                    "per_fold": cv[n]["per_fold"],
                    "pooled_oof": cv[n]["pooled_oof"],
                    "repeated": cv[n]["repeated"],
                }
                for n in names
            },
            "selected": selected,
            "holdout": holdout_metrics,
            "holdout_at_threshold": holdout_at_threshold,
            "decision_threshold": threshold,
        }
        write_json(staging / "metrics.json", metrics, indent=2, sort_keys=True)

        card = build_card(
            version=version,
            created_at=created_at.isoformat().replace("+00:00", "Z"),
            cfg=cfg,
            data_path=data_path,
            data=data,
            dev=dev,
            hold=hold,
            data_sha=data_sha,
            final_onnx=final_onnx,
            spec=spec,
            features=_card_features(data.X, spec, layout),
            cv=cv,
            names=names,
            costs=costs,
            decision=decision,
            holdout_metrics=holdout_metrics,
            holdout_at_threshold=holdout_at_threshold,
            holdout_reliability=reliability_curve(hold.y, hold_p, cfg.calibration.ece_bins),
            segments=_segments(hold.X, hold.y, hold_p, layout),
            thresholds=thresholds,
            histograms=_histograms(data.X, train_p.astype(np.float64), layout),
            explanation={
                "method": "sampled_shapley_antithetic_permutation_chains",
                "background": [_raw_row(background, i) for i in range(len(background))],
                "background_predictions": explainer.background_values.tolist(),
                "baseline": explainer.baseline,
                "permutations": permutations,
                "permutations_per_background": e.permutations_per_background,
                "antithetic": True,
                "feature_order": layout.names,
                "rows_per_customer": explainer.rows_per_customer,
                "seed": e.seed,
                "cost_ms_per_customer_python": ms_per_customer,
                "cost_ms_per_customer_onnxruntime": model_ms_per_customer,
                "budget_ms_per_customer": e.budget_ms_per_customer,
                "additivity_max_error": additivity,
                "shap_agreement": shap_summary,
                "top_factors_rule": "top 3 attributes by |contribution|, reported with their signed contribution",
            },
            global_importance=global_importance,
            parity={
                "holdout_max_abs_diff": final_parity,
                "dev_model_holdout_max_abs_diff": dev_parity,
                "tolerance": PARITY_TOLERANCE,
            },
        )
        write_json(staging / "model-card.json", card, indent=2)
        (staging / "MODEL_CARD.md").write_text(render_markdown(card))
        target = out_dir / version
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise

    if activate_version:
        activate(out_dir, version)
        log.info("models/active -> %s", version)
    log.info(
        "done: %s | selected %s | holdout roc_auc=%.4f brier=%.4f lift10=%.3f | explanation %.2f ms/customer",
        target,
        selected,
        holdout_metrics["roc_auc"],
        holdout_metrics["brier"],
        holdout_metrics["lift_top_decile"],
        ms_per_customer,
    )
    return target

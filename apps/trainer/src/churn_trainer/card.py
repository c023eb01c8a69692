"""model-card.json (machine-readable, read by the TypeScript services) and MODEL_CARD.md."""

from __future__ import annotations

from pathlib import Path

import onnx

from churn_trainer import __version__
from churn_trainer.candidates import CANDIDATE_LABELS
from churn_trainer.config import TrainConfig
from churn_trainer.data import Dataset
from churn_trainer.export_onnx import OUTPUT_NAME
from churn_trainer.features import Layout
from churn_trainer.spec import FeatureSpec

# 2: the card records its feature spec (`feature_spec`) and the features' encodings.
CARD_SCHEMA_VERSION = 2
QUALITY_BAR = {"roc_auc": (">=", 0.85), "brier": ("<=", 0.135), "lift_top_decile": (">=", 2.9)}


def _onnx_section(model: onnx.ModelProto, layout: Layout) -> dict:
    opsets = {o.domain or "ai.onnx": o.version for o in model.opset_import}
    return {
        "file": "model.onnx",
        "opset": opsets.get("ai.onnx"),
        "ml_opset": opsets.get("ai.onnx.ml"),
        "opsets": opsets,
        "inputs": [
            {"name": n, "dtype": "string" if n in layout.string_inputs else "float32", "shape": [None, 1]}
            for n in layout.names
        ],
        "output": {
            "name": OUTPUT_NAME,
            "dtype": "float32",
            "shape": [None],
            "meaning": "calibrated probability of churn, one per input row",
        },
    }


def _quality(holdout: dict[str, float]) -> dict:
    out = {}
    for name, (op, bar) in QUALITY_BAR.items():
        value = holdout[name]
        out[name] = {"value": value, "bar": f"{op} {bar}", "met": value >= bar if op == ">=" else value <= bar}
    return out


def build_card(
    *,
    version: str,
    created_at: str,
    cfg: TrainConfig,
    data_path: Path,
    data: Dataset,
    dev: Dataset,
    hold: Dataset,
    data_sha: str,
    final_onnx: onnx.ModelProto,
    spec: FeatureSpec,
    features: list[dict],
    cv: dict,
    names: list[str],
    costs: dict[str, float],
    decision: dict,
    holdout_metrics: dict,
    holdout_at_threshold: dict,
    holdout_reliability: dict,
    segments: dict,
    thresholds: dict,
    histograms: dict,
    explanation: dict,
    global_importance: dict,
    parity: dict,
) -> dict:
    selected = decision["selected"]
    layout = data.layout
    return {
        "schema_version": CARD_SCHEMA_VERSION,
        "version": version,
        "created_at": created_at,
        "trainer_version": __version__,
        "model_type": selected,
        "model_label": CANDIDATE_LABELS[selected],
        "training_data": {
            "path": str(data_path),
            "sha256": data_sha,
            "rows": len(data.y),
            "churn_rate": data.churn_rate,
            "development_rows": len(dev.y),
            "holdout_rows": len(hold.y),
            "holdout_fraction": cfg.holdout_fraction,
            "split_seed": cfg.seed,
        },
        "config": cfg.model_dump(mode="json"),
        "config_sha256": cfg.digest(),
        "feature_spec": spec.card_block(),
        "onnx": _onnx_section(final_onnx, layout),
        "features": features,
        "preprocessing": {
            "in_graph": True,
            "categorical_unknown_or_blank": 'encoded as all-zero one-hot (no error); send "" for a missing value',
            "open_ended_other": "an open-ended categorical keeps its max_categories most frequent training values; "
            "any other value is its other bucket, encoded as all-zero one-hot",
            "booleans": "a boolean spelled with numbers is a float input (its true_value / false_value); one spelled "
            "with words is a string input one-hot encoded like a categorical",
            "numeric_missing": "send NaN: sums and counts -> 0 (nothing yet), other numerics -> training median",
            "zero_when_missing": layout.zero_columns,
            "graph_column_order": list(layout.graph_order),
        },
        "cv_metrics": {
            "folds": cfg.cv_folds,
            "repeats": cfg.cv_repeats,
            "on": "development split (training file minus holdout)",
            "summary_of": "the first repetition's folds (its out-of-fold predictions set the decision threshold); "
            "`repeated` holds the ROC-AUC of every repetition's folds, which the selection rule compares",
            "candidates": {
                n: {
                    "label": CANDIDATE_LABELS[n],
                    "summary": cv[n]["summary"],
                    "per_fold": cv[n]["per_fold"],
                    "pooled_oof": cv[n]["pooled_oof"],
                    "repeated": cv[n]["repeated"],
                    "onnx_us_per_row": costs[n],
                }
                for n in names
            },
        },
        "onnx_cost_us_per_row": {**costs, "measured": "best of 5 batched calls, 1 thread, onnxruntime (Python)"},
        "selected": {"name": selected, **decision},
        "holdout_metrics": {
            **holdout_metrics,
            "at_decision_threshold": holdout_at_threshold,
            "reliability_curve": holdout_reliability,
            "model": "selected pipeline fitted on the development split only, scored via ONNX",
            "quality_bar": _quality(holdout_metrics),
        },
        "final_model": (
            "refitted on the full training file after the holdout report; holdout metrics describe "
            "the development-split fit of the same pipeline"
        )
        if cfg.refit_on_full
        else "the development-split fit whose holdout metrics are reported",
        "parity": parity,
        "segment_metrics": {"on": "holdout split, development-split model", **segments},
        "thresholds": thresholds,
        "reference_histograms": {
            "on": "full training file; score = final model's churn_probability",
            "binning": "numeric: value v falls in bin i when edges[i] <= v < edges[i+1], the last bin also takes "
            "v == edges[-1]; values outside the edges count in the first/last bin",
            "features": {k: v for k, v in histograms.items() if k != "score"},
            "score": histograms["score"],
        },
        "explanation": explanation,
        "global_importance": {
            "measure": "mean |contribution| over the first "
            f"{cfg.explanation.importance_rows} rows of the training file",
            "values": global_importance,
        },
        "artifacts": {
            "onnx": "model.onnx",
            "markdown": "MODEL_CARD.md",
            "metrics": "metrics.json",
            "train_predictions": "train-predictions.csv",
            "explanation_fixtures": "explanation-fixtures.json",
            "plots": {k: f"plots/{k}.png" for k in ("roc", "pr", "calibration", "lift", "importance")},
        },
    }


def _f(v, digits: int = 4) -> str:
    return "n/a" if v is None else f"{v:.{digits}f}"


def render_markdown(card: dict) -> str:
    sel = card["selected"]
    h = card["holdout_metrics"]
    e = card["explanation"]
    fs = card["feature_spec"]
    spec = fs["spec"]
    n_inputs = len(card["features"])
    lines = [
        f"# Churn Radar model {card['version']}",
        "",
        f"*{card['model_label']}* — created {card['created_at']}, trained on `{card['training_data']['path']}` "
        f"(sha256 `{card['training_data']['sha256'][:12]}…`, {card['training_data']['rows']} rows, churn rate "
        f"{card['training_data']['churn_rate']:.3f}).",
        "",
        f"Feature spec **{fs['name']}** (sha256 `{fs['hash'][:12]}…`): {n_inputs} model inputs"
        + (f" — {spec['description'].rstrip('.')}" if spec.get("description") else "")
        + ".",
        "",
        "## Intended use",
        "",
        "Ranks existing subscription customers of the business the training table describes by their probability of churning, so "
        "that retention teams can prioritise outreach (risk score = round(100 × probability); levels critical ≥ "
        f"{card['thresholds']['risk_levels']['critical']}, high ≥ {card['thresholds']['risk_levels']['high']}, "
        f"medium ≥ {card['thresholds']['risk_levels']['medium']}, else low). Each score comes with per-attribute "
        "contributions (top risk factors) for the person acting on it.",
        "",
        "## Limitations",
        "",
        f"- Trained on {card['training_data']['rows']:,} customers of one table, one snapshot in time. Expect drift; "
        "monitor with the reference histograms in `model-card.json`.",
        f"- Only the spec's {n_inputs} model inputs are used: {', '.join(f['name'] for f in card['features'])}.",
        "- Probabilities are calibrated on the training distribution; a different churn base rate makes them "
        "over- or under-confident.",
        "- Contributions are associations under the model, not causes: changing an attribute need not change "
        "a customer's behaviour.",
        "- Review the contributions of personal attributes (age, gender, …) before acting on them.",
        "- Unknown or blank categorical values are accepted and encoded as 'none of the known categories'; an "
        "open-ended categorical's values beyond its most frequent ones are its 'other' bucket.",
        "",
        f"## Model selection (stratified {card['cv_metrics']['folds']}-fold CV on the development split, "
        f"repeated {card['cv_metrics']['repeats']} times)",
        "",
        "| candidate | ROC-AUC | PR-AUC | Brier | log loss | lift@10% | ECE | repeated ROC-AUC | ONNX µs/row |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, c in card["cv_metrics"]["candidates"].items():
        s = c["summary"]
        r = c["repeated"]["roc_auc"]
        mark = " **(selected)**" if name == sel["name"] else ""
        lines.append(
            f"| {c['label']}{mark} | {s['roc_auc']['mean']:.4f} ± {s['roc_auc']['std']:.4f} | {s['pr_auc']['mean']:.4f} | "
            f"{s['brier']['mean']:.4f} | {s['log_loss']['mean']:.4f} | {s['lift_top_decile']['mean']:.3f} | "
            f"{s['ece']['mean']:.4f} | {r['mean']:.4f} ± {r['std']:.4f} | {c['onnx_us_per_row']:.2f} |"
        )
    lines += [
        "",
        "The first columns are the first repetition's folds; the repeated ROC-AUC is over all "
        f"{card['cv_metrics']['repeats'] * card['cv_metrics']['folds']} folds, which the rule compares.",
        "",
        f"Rule: {sel['rule']}.",
        "",
        "| candidate | against | ROC-AUC gain | paired SE | gain needed | replaces |",
        "|---|---|---|---|---|---|",
        *[
            f"| {c['candidate']} | {c['against']} | {c['auc_gain']:+.4f} | {c['paired_se']:.4f} | {c['needed']:.4f} | "
            f"{'yes' if c['replaces'] else 'no'} |"
            for c in sel["comparisons"]
        ],
        "",
        f"Decision: **{sel['name']}** — {sel['reason']}.",
        "",
        "## Holdout metrics",
        "",
        f"Stratified {card['training_data']['holdout_fraction']:.0%} holdout ({card['training_data']['holdout_rows']} "
        f"rows), never used for fitting or selection. Scored model: {h['model']}. Shipped model: {card['final_model']}.",
        "",
        "| metric | value | quality bar | met |",
        "|---|---|---|---|",
    ]
    for name, q in h["quality_bar"].items():
        lines.append(f"| {name} | {q['value']:.4f} | {q['bar']} | {'yes' if q['met'] else 'NO'} |")
    lines += [
        f"| pr_auc | {h['pr_auc']:.4f} | | |",
        f"| log_loss | {h['log_loss']:.4f} | | |",
        f"| ece (10 bins) | {h['ece']:.4f} | | |",
        "",
        f"At the decision threshold {card['thresholds']['decision_threshold']:.3f} "
        f"({card['thresholds']['decision_threshold_rule']}): precision {h['at_decision_threshold']['precision']:.3f}, "
        f"recall {h['at_decision_threshold']['recall']:.3f}, F1 {h['at_decision_threshold']['f1']:.3f}, "
        f"accuracy {h['at_decision_threshold']['accuracy']:.3f}.",
        "",
        "## Metrics by segment (holdout)",
        "",
    ]
    for seg_name in (k for k in card["segment_metrics"] if k != "on"):
        lines += [
            f"### {seg_name}",
            "",
            "| segment | customers | churn rate | mean predicted | ROC-AUC | Brier |",
            "|---|---|---|---|---|---|",
        ]
        for r in card["segment_metrics"][seg_name]:
            lines.append(
                f"| {r['segment']} | {r['customers']} | {_f(r['churn_rate'], 3)} | {_f(r['mean_predicted'], 3)} | "
                f"{_f(r['roc_auc'])} | {_f(r['brier'])} |"
            )
        lines.append("")
    agreement = e.get("shap_agreement")
    lines += [
        "## Explanations",
        "",
        f"Method: sampled Shapley values over the {n_inputs} model inputs ({e['method']}), "
        f"{len(e['background'])} background customers × {e['permutations_per_background']} fixed permutation(s) each, "
        f"every permutation also walked reversed (antithetic) → {e['rows_per_customer']} model rows per customer in "
        "one batched ONNX call. Contributions are in probability units and add up to "
        f"prediction − baseline (baseline {e['baseline']:.6f} = mean prediction over the background; max error "
        f"{e['additivity_max_error']:.2g}).",
        "",
        f"Cost: {e['cost_ms_per_customer_onnxruntime']:.2f} ms per customer in onnxruntime (1 thread), "
        f"{e['cost_ms_per_customer_python']:.2f} ms including Python batch assembly; budget "
        f"{e['budget_ms_per_customer']} ms.",
        "",
    ]
    if agreement:
        lines += [
            f"Agreement with `shap` ({agreement['explainer']}, max_evals {agreement['max_evals']}, same model and "
            f"background) on {agreement['customers']} holdout customers: top-3 overlap "
            f"{agreement['mean_overlap']:.1%}, identical top-3 set {agreement['exact_set_match']:.1%}.",
            "",
        ]
    lines += ["### Global importance (mean |contribution|)", "", "| attribute | mean abs contribution |", "|---|---|"]
    for name, v in card["global_importance"]["values"].items():
        lines.append(f"| {name} | {v:.4f} |")
    lines += [
        "",
        "## Serving interface",
        "",
        f"`model.onnx` (opset {card['onnx']['opset']}, ai.onnx.ml {card['onnx']['ml_opset']}): one input per model input, "
        "shape [N, 1], `tensor(string)` for categoricals and booleans spelled with words, `tensor(float)` for numerics "
        "and booleans spelled with numbers; "
        f"output `{card['onnx']['output']['name']}` float32 [N]. Preprocessing is inside the graph. Max |Python − ONNX| on "
        f"the holdout: {card['parity']['holdout_max_abs_diff']:.2g}.",
        "",
        "## Plots",
        "",
        "![ROC](plots/roc.png) ![PR](plots/pr.png) ![Calibration](plots/calibration.png) ![Lift](plots/lift.png) "
        "![Importance](plots/importance.png)",
        "",
    ]
    return "\n".join(lines)

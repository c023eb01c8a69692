"""Training-report figures (PNG, matplotlib Agg) written next to the model card."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from sklearn.metrics import precision_recall_curve, roc_curve

from churn_trainer.calibration import reliability_curve


def _save(fig, path: Path) -> None:
    fig.tight_layout()
    # No date/software metadata: the same model gives the same bytes.
    fig.savefig(path, dpi=100, metadata={"Software": None})
    plt.close(fig)


def roc_plot(y: np.ndarray, p: np.ndarray, auc: float, title: str, path: Path) -> None:
    fpr, tpr, _ = roc_curve(y, p)
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.plot(fpr, tpr, label=f"ROC-AUC {auc:.3f}")
    ax.plot([0, 1], [0, 1], "--", color="grey", linewidth=0.8)
    ax.set(xlabel="False positive rate", ylabel="True positive rate", title=title)
    ax.legend(loc="lower right")
    _save(fig, path)


def pr_plot(y: np.ndarray, p: np.ndarray, ap: float, title: str, path: Path) -> None:
    precision, recall, _ = precision_recall_curve(y, p)
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.plot(recall, precision, label=f"PR-AUC {ap:.3f}")
    ax.axhline(y.mean(), linestyle="--", color="grey", linewidth=0.8, label=f"churn rate {y.mean():.3f}")
    ax.set(xlabel="Recall", ylabel="Precision", title=title, ylim=(0, 1.02))
    ax.legend(loc="upper right")
    _save(fig, path)


def calibration_plot(y: np.ndarray, p: np.ndarray, bins: int, ece: float, title: str, path: Path) -> None:
    curve = reliability_curve(y, p, bins)
    fig, (ax, hist) = plt.subplots(2, 1, figsize=(5, 6), gridspec_kw={"height_ratios": [3, 1]}, sharex=True)
    ax.plot([0, 1], [0, 1], "--", color="grey", linewidth=0.8, label="perfect calibration")
    mp = np.array(curve["mean_predicted"])
    obs = np.array(curve["observed_rate"])
    ok = ~np.isnan(mp)
    ax.plot(mp[ok], obs[ok], "o-", label=f"model (ECE {ece:.3f})")
    ax.set(ylabel="Observed churn rate", title=title, xlim=(0, 1), ylim=(0, 1))
    ax.legend(loc="upper left")
    hist.hist(p, bins=curve["edges"], color="tab:blue", alpha=0.6)
    hist.set(xlabel="Predicted churn probability", ylabel="Customers")
    _save(fig, path)


def lift_plot(y: np.ndarray, p: np.ndarray, title: str, path: Path) -> None:
    order = np.argsort(-p, kind="stable")
    deciles = np.array_split(y[order], 10)
    lift = [d.mean() / y.mean() for d in deciles]
    cumulative = np.cumsum([d.sum() for d in deciles]) / y.sum()
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    ax1.bar(np.arange(1, 11), lift, color="tab:orange")
    ax1.axhline(1.0, linestyle="--", color="grey", linewidth=0.8)
    ax1.set(xlabel="Score decile (1 = highest risk)", ylabel="Lift", title=f"{title}: lift by decile")
    ax2.plot(np.arange(0, 11) * 10, np.concatenate([[0], cumulative]), "o-", label="model")
    ax2.plot([0, 100], [0, 1], "--", color="grey", linewidth=0.8, label="random")
    ax2.set(xlabel="% customers contacted", ylabel="% churners captured", title="Cumulative gains")
    ax2.legend(loc="lower right")
    _save(fig, path)


def importance_plot(importance: dict[str, float], title: str, path: Path) -> None:
    names = list(importance)[::-1]
    fig, ax = plt.subplots(figsize=(6, 6))
    ax.barh(names, [importance[n] for n in names], color="tab:green")
    ax.set(xlabel="Mean |contribution| (probability)", title=title)
    _save(fig, path)

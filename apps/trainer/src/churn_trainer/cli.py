"""Command line: `python -m churn_trainer train --spec SPEC.json --data CSV --out DIR [--config FILE] [--activate]`."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import warnings
from pathlib import Path


def _quiet_library_noise() -> None:
    # lightgbm 4.5 passes sklearn 1.6's renamed `force_all_finite`; harmless, but one line per fit.
    warnings.filterwarnings("ignore", message=".*force_all_finite.*", category=FutureWarning)
    warnings.filterwarnings("ignore", category=DeprecationWarning)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="churn_trainer", description="Churn Radar model trainer")
    sub = parser.add_subparsers(dest="command", required=True)
    train_p = sub.add_parser("train", help="train, evaluate and register a new model version")
    train_p.add_argument(
        "--spec",
        type=Path,
        required=True,
        help="the normalized feature spec as JSON {name, hash, spec}, written by `bin/churn train`",
    )
    train_p.add_argument("--data", type=Path, required=True, help="the customer table (CSV) the spec describes")
    train_p.add_argument("--out", type=Path, default=Path("models"))
    train_p.add_argument("--config", type=Path, default=None, help="YAML config (default: config/default.yaml)")
    train_p.add_argument("--activate", action="store_true", help="point models/active at the new version")
    train_p.add_argument("--skip-shap", action="store_true", help="skip the shap comparison (faster)")
    args = parser.parse_args(argv)

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr)
    _quiet_library_noise()
    os.environ.setdefault("MPLBACKEND", "Agg")

    from churn_trainer.config import load_config
    from churn_trainer.data import TableError
    from churn_trainer.spec import SpecError, load_spec_payload
    from churn_trainer.training import train

    cfg = load_config(args.config)
    try:
        spec = load_spec_payload(args.spec)
        target = train(args.data, args.out, cfg, spec, activate_version=args.activate, run_shap=not args.skip_shap)
    except (SpecError, TableError) as error:
        # Bad input, not a bug: the message names every problem; exit 2 tells the caller so.
        print(f"churn_trainer: {error}", file=sys.stderr)
        return 2
    print(target)
    return 0

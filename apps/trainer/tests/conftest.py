from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from churn_trainer.config import TrainConfig, load_config
from churn_trainer.data import Dataset, holdout_split, load_table
from churn_trainer.export_onnx import OnnxScorer
from churn_trainer.registry import active_version
from churn_trainer.spec import FeatureSpec, load_spec_payload

TRAINER_DIR = Path(__file__).resolve().parents[1]
REPO_DIR = TRAINER_DIR.parents[1]
DATA_PATH = REPO_DIR / "data" / "telco" / "train.csv"
MODELS_DIR = REPO_DIR / "models"
TEST_CONFIG = TRAINER_DIR / "config" / "test.yaml"
DEFAULT_CONFIG = TRAINER_DIR / "config" / "default.yaml"
# specs/telco.yaml normalized by libs/feature-spec (a TypeScript test keeps it equal to the YAML).
TELCO_SPEC = TRAINER_DIR / "tests" / "fixtures" / "telco-feature-spec.json"

warnings.filterwarnings("ignore", message=".*force_all_finite.*", category=FutureWarning)


@pytest.fixture(scope="session")
def telco_spec() -> FeatureSpec:
    return load_spec_payload(TELCO_SPEC)


@pytest.fixture(scope="session")
def data(telco_spec: FeatureSpec) -> Dataset:
    return load_table(DATA_PATH, telco_spec)


@pytest.fixture(scope="session")
def test_config() -> TrainConfig:
    return load_config(TEST_CONFIG)


@pytest.fixture(scope="session")
def active_dir() -> Path:
    return MODELS_DIR / active_version(MODELS_DIR)


@pytest.fixture(scope="session")
def active_card(active_dir: Path) -> dict:
    return json.loads((active_dir / "model-card.json").read_text())


@pytest.fixture(scope="session")
def active_scorer(active_dir: Path) -> OnnxScorer:
    return OnnxScorer(str(active_dir / "model.onnx"))


@pytest.fixture(scope="session")
def active_holdout(data: Dataset, active_card: dict) -> Dataset:
    """The committed model's holdout split, rebuilt from the split parameters in its card."""
    td = active_card["training_data"]
    return holdout_split(data, td["holdout_fraction"], td["split_seed"])[1]

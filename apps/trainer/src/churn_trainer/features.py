"""The feature contract (raw Telco attributes) and the preprocessing that lives inside the model.

The preprocessing is a scikit-learn ColumnTransformer so that skl2onnx puts it into the ONNX
graph: serving passes raw attributes and cannot drift from training.
"""

from __future__ import annotations

from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import KBinsDiscretizer, OneHotEncoder, StandardScaler

CATEGORICAL_FEATURES: list[str] = [
    "gender", "Partner", "Dependents", "PhoneService", "MultipleLines", "InternetService",
    "OnlineSecurity", "OnlineBackup", "DeviceProtection", "TechSupport", "StreamingTV",
    "StreamingMovies", "Contract", "PaperlessBilling", "PaymentMethod",
]
# SeniorCitizen is 0/1 in the file and a boolean in events: numeric (0.0 / 1.0) is the
# simplest faithful encoding and needs no string mapping on the TypeScript side.
NUMERIC_FEATURES: list[str] = ["SeniorCitizen", "tenure", "MonthlyCharges", "TotalCharges"]

# ONNX input order = the Telco file's column order.
FEATURES: list[str] = [
    "gender", "SeniorCitizen", "Partner", "Dependents", "tenure", "PhoneService", "MultipleLines",
    "InternetService", "OnlineSecurity", "OnlineBackup", "DeviceProtection", "TechSupport",
    "StreamingTV", "StreamingMovies", "Contract", "PaperlessBilling", "PaymentMethod",
    "MonthlyCharges", "TotalCharges",
]
assert sorted(FEATURES) == sorted(CATEGORICAL_FEATURES + NUMERIC_FEATURES)

DESCRIPTIONS: dict[str, str] = {
    "gender": "Customer gender (Female/Male).",
    "SeniorCitizen": "1 if the customer is 65 or older, else 0.",
    "Partner": "Whether the customer has a partner.",
    "Dependents": "Whether the customer has dependents.",
    "tenure": "Whole months the customer has been with the company.",
    "PhoneService": "Whether the customer has phone service.",
    "MultipleLines": "Multiple phone lines (Yes/No/No phone service).",
    "InternetService": "Internet service provider (DSL/Fiber optic/No).",
    "OnlineSecurity": "Online security add-on.",
    "OnlineBackup": "Online backup add-on.",
    "DeviceProtection": "Device protection add-on.",
    "TechSupport": "Tech support add-on.",
    "StreamingTV": "Streaming TV add-on.",
    "StreamingMovies": "Streaming movies add-on.",
    "Contract": "Contract term (Month-to-month/One year/Two year).",
    "PaperlessBilling": "Whether billing is paperless.",
    "PaymentMethod": "Payment method.",
    "MonthlyCharges": "Current monthly charge (USD).",
    "TotalCharges": "Sum of invoices paid (USD); 0 for a customer with no invoice yet (blank in the file).",
}


def _numeric_imputers(scale: bool) -> list[tuple[str, Pipeline, list[str]]]:
    """NaN handling inside the graph: TotalCharges -> 0 (no invoice yet), others -> median."""
    def chain(imputer: SimpleImputer) -> Pipeline:
        steps = [("impute", imputer)]
        if scale:
            steps.append(("scale", StandardScaler()))
        return Pipeline(steps)

    others = [n for n in NUMERIC_FEATURES if n != "TotalCharges"]
    return [
        ("num", chain(SimpleImputer(strategy="median")), others),
        ("total", chain(SimpleImputer(strategy="constant", fill_value=0.0)), ["TotalCharges"]),
    ]


def _one_hot() -> OneHotEncoder:
    # Unknown or blank categories encode as all zeros rather than failing at serving time.
    return OneHotEncoder(handle_unknown="ignore", sparse_output=False)


def linear_preprocessor(tenure_bins: int) -> ColumnTransformer:
    """One-hot categoricals, standardised numerics and optional tenure bins for linear models."""
    transformers: list = [("cat", _one_hot(), CATEGORICAL_FEATURES), *_numeric_imputers(scale=True)]
    if tenure_bins > 0:
        binner = Pipeline([
            ("impute", SimpleImputer(strategy="median")),
            ("bins", KBinsDiscretizer(n_bins=tenure_bins, encode="onehot-dense", strategy="quantile")),
        ])
        transformers.append(("tenure_bins", binner, ["tenure"]))
    return ColumnTransformer(transformers, remainder="drop", verbose_feature_names_out=False)


def tree_preprocessor() -> ColumnTransformer:
    """One-hot categoricals and raw numerics: trees need no scaling."""
    return ColumnTransformer(
        [("cat", _one_hot(), CATEGORICAL_FEATURES), *_numeric_imputers(scale=False)],
        remainder="drop", verbose_feature_names_out=False,
    )

"""Seed-style peer for the scorer benchmark (never shipped): the deployment guide's stacked ensemble
(random forest + LightGBM + XGBoost -> logistic regression meta-learner, scikit-learn StackingClassifier)
trained on data/telco/train.csv with one-hot + StandardScaler, served by a stdlib HTTP server that scores
ONE customer per request (POST /predict, JSON attributes -> {"churn_probability": p}).

    .churn/venv/bin/python bench/peers/seed_stacked_peer.py --data data/telco/train.csv --port 18999
Prints "READY <port>" on stdout once it serves.
"""
import argparse
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier, StackingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from xgboost import XGBClassifier

NUMERIC = ["SeniorCitizen", "tenure", "MonthlyCharges", "TotalCharges"]
CATEGORICAL = ["gender", "Partner", "Dependents", "PhoneService", "MultipleLines", "InternetService", "OnlineSecurity",
               "OnlineBackup", "DeviceProtection", "TechSupport", "StreamingTV", "StreamingMovies", "Contract",
               "PaperlessBilling", "PaymentMethod"]


def train(path):
    df = pd.read_csv(path)
    df["TotalCharges"] = pd.to_numeric(df["TotalCharges"].replace(" ", ""), errors="coerce").fillna(0.0)
    y = (df["Churn"] == "Yes").astype(int)
    pre = ColumnTransformer([("num", StandardScaler(), NUMERIC), ("cat", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL)])
    stack = StackingClassifier(
        estimators=[
            ("rf", RandomForestClassifier(n_estimators=200, max_depth=10, min_samples_leaf=10, random_state=42, n_jobs=1)),
            ("lgb", lgb.LGBMClassifier(n_estimators=300, learning_rate=0.03, num_leaves=8, random_state=42, verbose=-1, n_jobs=1)),
            ("xgb", XGBClassifier(n_estimators=300, learning_rate=0.03, max_depth=3, random_state=42, n_jobs=1)),
        ],
        final_estimator=LogisticRegression(max_iter=1000),
        cv=5,
        n_jobs=1,
    )
    model = Pipeline([("pre", pre), ("stack", stack)])
    model.fit(df[NUMERIC + CATEGORICAL], y)
    return model


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--port", type=int, default=18999)
    args = parser.parse_args()
    model = train(args.data)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            row = pd.DataFrame([{k: body[k] for k in NUMERIC + CATEGORICAL}])
            p = float(model.predict_proba(row)[:, 1][0])
            out = json.dumps({"churn_probability": p, "risk_score": int(p * 100)}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print(f"READY {args.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())

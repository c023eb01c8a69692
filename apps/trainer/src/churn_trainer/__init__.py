"""Churn Radar trainer: reproducible training, calibration, ONNX export and explanations."""

__version__ = "0.1.0"

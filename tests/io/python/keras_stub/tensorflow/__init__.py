"""A stand-in for `tensorflow` beside the recording `keras` (see keras/__init__.py): exported
code that writes a TensorFlow op in a Lambda imports it; the Lambda is recorded, not run."""

"""Runs exported Keras code against the recording stand-in of `keras`; prints what it built."""
import importlib.util
import json
import os
import sys
import tempfile
import traceback

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "keras_stub"))
import keras  # noqa: E402  (the stand-in)


def main():
    jobs = json.load(sys.stdin)
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for job in jobs:
            keras.RECORD.clear()
            try:
                path = os.path.join(folder, f"keras_{job['id']}.py")
                with open(path, "w") as f:
                    f.write(job["code"])
                spec = importlib.util.spec_from_file_location(f"keras_{job['id']}", path)
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
                model = module.build_model()
                results[job["id"]] = {"layers": list(keras.RECORD), "outputs": model.outputs, "name": model.name, "kind": type(model).__name__}
            except Exception:
                results[job["id"]] = {"error": traceback.format_exc(limit=3)}
    json.dump(results, sys.stdout)


main()

"""Runs exported files whose model and layer names try to run code, as a user would run them.

Reads a JSON list of jobs on stdin. {"control": code} runs `code` (to prove a payload works
when it does run). {"id", "folder", "module"?} runs the folder's files: `python model.py`
(or MODULE.py: builds the module, prints it, runs a forward pass), `python train.py --help`
(imports it, prints the docstring) and, if there is one, keras_model.py's build_model()
against the recording stand-in of keras (no Keras here). All in this one process, so PyTorch is imported once. Prints
{id: {"model": stdout, "help": stdout, "keras": {"name", "layers"}, "error": traceback}}.
"""
import contextlib
import importlib.util
import io
import json
import os
import runpy
import sys
import traceback

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "keras_stub"))
import keras  # noqa: E402  (the stand-in)


def run_script(folder, name, argv, module="model"):
    sys.modules.pop(module, None)
    sys.path.insert(0, folder)
    old = sys.argv
    sys.argv = [name, *argv]
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            runpy.run_path(os.path.join(folder, name), run_name="__main__")
    except SystemExit as e:
        if e.code not in (0, None):
            raise
    finally:
        sys.argv = old
        sys.path.remove(folder)
    return out.getvalue()


def run_keras(folder):
    keras.RECORD.clear()
    spec = importlib.util.spec_from_file_location("keras_model", os.path.join(folder, "keras_model.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.build_model()
    return {"name": model.name, "layers": [r["name"] for r in keras.RECORD]}


def main():
    results = {}
    for job in json.load(sys.stdin):
        if "control" in job:
            exec(job["control"])
            continue
        folder, result = job["folder"], {}
        try:
            module = job.get("module", "model")
            result["model"] = run_script(folder, f"{module}.py", [], module)
            result["help"] = run_script(folder, "train.py", ["--help"], module)
            if os.path.exists(os.path.join(folder, "keras_model.py")):
                result["keras"] = run_keras(folder)
        except Exception:
            result["error"] = traceback.format_exc(limit=4)
        results[job["id"]] = result
    json.dump(results, sys.stdout)


main()

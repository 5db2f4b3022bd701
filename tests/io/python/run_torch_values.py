"""Runs PyTorch modules exported by ConvScope on given inputs and reports what they return.

Reads a JSON list of jobs on stdin: {"id", "code", "input": {"shape": [N, C, ...], "data": [...]}}.
For each, builds the module (eval mode), runs it on that input and prints one JSON object
{id: {"shape", "data" (the output, flattened), "params" (sum of numel over parameters),
"parameters": {name: shape}, "error"}}.
"""
import importlib.util
import json
import os
import sys
import tempfile
import traceback

import torch


def run(job, folder):
    path = os.path.join(folder, f"model_{job['id']}.py")
    with open(path, "w") as f:
        f.write(job["code"])
    spec = importlib.util.spec_from_file_location(f"model_{job['id']}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.build_model().eval()
    x = torch.tensor(job["input"]["data"], dtype=torch.float32).reshape(job["input"]["shape"])
    with torch.no_grad():
        y = model(x)
    return {
        "shape": list(y.shape),
        "data": y.flatten().tolist(),
        "params": sum(p.numel() for p in model.parameters()),
        "parameters": {name: list(p.shape) for name, p in model.named_parameters()},
    }


def main():
    jobs = json.load(sys.stdin)
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for job in jobs:
            try:
                results[job["id"]] = run(job, folder)
            except Exception:
                results[job["id"]] = {"error": traceback.format_exc()}
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()

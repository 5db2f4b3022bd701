"""Runs PyTorch modules exported by ConvScope and reports what they compute.

Reads a JSON list of jobs on stdin: {"id", "code", "inputs": [[C, H, W], ...]}. For each, builds
the module, runs it on zeros, and records every local of forward() that is a tensor (one per
layer), the parameter count and the buffer count (batch-norm statistics). Prints one JSON
object {id: {"shapes": {local: shape}, "params": n, "trainable": n, "parameters": n, "buffers": n,
"error": str}}: "params" is parameters + buffers (num_batches_tracked excluded), as Keras counts;
"parameters" is sum(p.numel() for p in model.parameters()), as torchinfo counts.
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
    captured = {}
    code = type(model).forward.__code__

    def profile(frame, event, arg):
        if event == "return" and frame.f_code is code:
            captured.update(frame.f_locals)

    inputs = [torch.zeros(1, *shape) for shape in job["inputs"]]
    sys.setprofile(profile)
    try:
        with torch.no_grad():
            model(*inputs)
    finally:
        sys.setprofile(None)
    shapes = {k: list(v.shape) for k, v in captured.items() if torch.is_tensor(v)}
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    params = sum(p.numel() for p in model.parameters())
    buffers = sum(b.numel() for name, b in model.named_buffers() if not name.endswith("num_batches_tracked"))
    return {
        "shapes": shapes,
        "params": params + buffers,
        "trainable": trainable,
        "parameters": params,
        "buffers": buffers,
    }


def main():
    jobs = json.load(sys.stdin)
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for job in jobs:
            try:
                results[job["id"]] = run(job, folder)
            except Exception:
                results[job["id"]] = {"error": traceback.format_exc(limit=3)}
    json.dump(results, sys.stdout)


main()

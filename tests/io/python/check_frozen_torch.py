"""Trains an exported ConvScope PyTorch module one SGD step and reports what moved.

Reads a JSON job on stdin: {"code", "inputs": [[C, H, W], ...]}. Builds the module, puts it in
train mode, runs one SGD step on random inputs (loss: the output's mean square), and prints
{"parameters": n, "trainable": n (requires_grad), "changed": [names of parameters and buffers
whose values changed], "unchanged": [the others]}; num_batches_tracked is left out.
"""
import importlib.util
import json
import os
import sys
import tempfile

import torch


def main():
    job = json.load(sys.stdin)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "exported.py")
        with open(path, "w") as f:
            f.write(job["code"])
        spec = importlib.util.spec_from_file_location("exported", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    torch.manual_seed(0)
    model = module.build_model()
    model.train()
    state = {k: v.clone() for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")}
    optimizer = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.1)
    inputs = [torch.randn(4, *shape) for shape in job["inputs"]]
    out = model(*inputs)
    (out ** 2).mean().backward()
    optimizer.step()
    after = model.state_dict()
    changed = sorted(k for k, v in state.items() if not torch.equal(v, after[k]))
    json.dump(
        {
            "parameters": sum(p.numel() for p in model.parameters()),
            "trainable": sum(p.numel() for p in model.parameters() if p.requires_grad),
            "changed": changed,
            "unchanged": sorted(k for k in state if k not in changed),
        },
        sys.stdout,
    )


main()

"""Writes ONNX files with the operators of issue 15's last ONNX gaps and what the tests compare
ConvScope with. Input (stdin, JSON): {"dir": folder}. Output (stdout, JSON): {key: {"file",
"opset", "params" (PyTorch's parameter count, or the file's float initializers: its weights),
"shapes" (onnx shape inference's shape of each tensor, by name), "ops"}}.

- "torch": torch.onnx.export (opset 17, the newest PyTorch 1.13 writes) of a convolution scaled
  and shifted by learnt constants (Mul, Add of initializers), torch.split with sizes (Split with a
  `split` input), F.interpolate to a size (Resize by `sizes`) and a crop of two axes.
- "helper18": built with onnx.helper at opset 18, which PyTorch 1.13 cannot write: Split by
  `num_outputs`, a Slice of two axes in one node, Resize by `sizes`, Mul and Add of initializers.
  onnx 1.12's shape inference stops at opset 17, so its shapes are those of "helper17", the same
  graph with opset 17's Split (sizes as an input) and the same tensor names.
"""
import json
import os
import sys

import numpy as np
import onnx
import onnx.helper as h
import onnx.numpy_helper
import onnx.shape_inference
import torch
import torch.nn as nn
import torch.nn.functional as F


class Scaled(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.scale = nn.Parameter(torch.full((1, 4, 1, 1), 0.5))
        self.shift = nn.Parameter(torch.zeros(4, 1, 1))

    def forward(self, x):
        y = self.conv(x) * self.scale + self.shift
        _, b = torch.split(y, [1, 3], dim=1)
        z = F.interpolate(b, size=(16, 16), mode="nearest")
        return z[:, :, 2:10, 4:12]


def shapes_of(model):
    inferred = onnx.shape_inference.infer_shapes(model)
    out = {}
    for v in list(inferred.graph.value_info) + list(inferred.graph.output) + list(inferred.graph.input):
        dims = v.type.tensor_type.shape.dim
        out[v.name] = [d.dim_value if d.HasField("dim_value") else None for d in dims]
    return out


def float_params(model):
    return sum(
        int(np.prod(t.dims)) for t in model.graph.initializer if t.data_type == onnx.TensorProto.FLOAT
    )


def helper_model(opset):
    ints = lambda name, values: onnx.numpy_helper.from_array(np.array(values, dtype=np.int64), name)
    floats = lambda name, values: onnx.numpy_helper.from_array(np.array(values, dtype=np.float32), name)
    inits = [
        ints("starts", [1, 2]),
        ints("ends", [7, 8]),
        ints("axes", [2, 3]),
        ints("sizes", [1, 2, 12, 12]),
        floats("gain", np.full((2, 1, 1), 2.0)),
        floats("offset", np.zeros((1, 2, 1, 1))),
    ]
    if opset >= 18:
        split = h.make_node("Split", ["x"], ["s0", "s1", "s2"], name="split", axis=1, num_outputs=3)
    else:
        inits.append(ints("parts", [2, 2, 2]))
        split = h.make_node("Split", ["x", "parts"], ["s0", "s1", "s2"], name="split", axis=1)
    nodes = [
        split,
        h.make_node("Slice", ["s0", "starts", "ends", "axes"], ["crop"], name="crop"),
        h.make_node("Resize", ["crop", "", "", "sizes"], ["big"], name="resize", mode="nearest"),
        h.make_node("Mul", ["big", "gain"], ["scaled"], name="scale"),
        h.make_node("Add", ["scaled", "offset"], ["shifted"], name="shift"),
        h.make_node("Concat", ["s1", "s2"], ["rest"], name="rest", axis=1),
    ]
    graph = h.make_graph(
        nodes,
        f"newer_ops_{opset}",
        [h.make_tensor_value_info("x", onnx.TensorProto.FLOAT, [1, 6, 8, 8])],
        [
            h.make_tensor_value_info("shifted", onnx.TensorProto.FLOAT, [1, 2, 12, 12]),
            h.make_tensor_value_info("rest", onnx.TensorProto.FLOAT, [1, 4, 8, 8]),
        ],
        inits,
    )
    return h.make_model(graph, opset_imports=[h.make_opsetid("", opset)], ir_version=8)


def main():
    folder = json.load(sys.stdin)["dir"]
    out = {}
    path = os.path.join(folder, "torch.onnx")
    model = Scaled().eval()
    torch.onnx.export(model, torch.zeros(1, 3, 8, 8), path, opset_version=17, input_names=["x"], output_names=["y"])
    exported = onnx.load(path)
    out["torch"] = {
        "file": path,
        "opset": 17,
        "params": sum(p.numel() for p in model.parameters()),
        "shapes": shapes_of(exported),
        "ops": [n.op_type for n in exported.graph.node],
    }
    twin = helper_model(17)
    onnx.checker.check_model(twin)
    for opset, model in [(17, twin), (18, helper_model(18))]:
        path = os.path.join(folder, f"helper{opset}.onnx")
        onnx.save(model, path)
        out[f"helper{opset}"] = {
            "file": path,
            "opset": opset,
            "params": float_params(model),
            "shapes": shapes_of(twin),
            "ops": [n.op_type for n in model.graph.node],
        }
    json.dump(out, sys.stdout)


main()

"""Exports PyTorch models to ONNX with torch.onnx.export and writes, for each, what the tests
compare ConvScope with: PyTorch's own parameter count, the file's initializers, and onnx shape
inference's shape for every node output. Input (stdin, JSON): {"dir": folder, "models": [names]}.
Output (stdout, JSON): {key: {"file", "torch_params", "initializer_params", "node_params" (each node's
initializers, a shared one counted at each use), "conv_shapes" (every convolution's output in PyTorch, in
call order), "output", "shapes" (shape inference's, by tensor name), "ops", "module_shapes" (every module's output
in PyTorch, by the ONNX scope its nodes are named in)}}."""
import json
import os
import sys

import onnx
import onnx.numpy_helper
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision


class MnistCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3)
        self.conv2 = nn.Conv2d(32, 64, 3)
        self.dropout = nn.Dropout(0.25)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv2(F.relu(self.conv1(x)))), 2)
        x = torch.flatten(self.dropout(x), 1)
        return F.log_softmax(self.fc2(F.relu(self.fc1(x))), dim=1)


class CausalBlock(nn.Module):
    """A TCN residual block (Bai et al. 2018): two dilated causal Conv1d, padded on the left only."""

    def __init__(self, cin, cout, k, d):
        super().__init__()
        self.left = (k - 1) * d
        self.conv1 = nn.Conv1d(cin, cout, k, dilation=d)
        self.conv2 = nn.Conv1d(cout, cout, k, dilation=d)
        self.down = nn.Conv1d(cin, cout, 1) if cin != cout else None

    def forward(self, x):
        y = torch.relu(self.conv1(F.pad(x, (self.left, 0))))
        y = torch.relu(self.conv2(F.pad(y, (self.left, 0))))
        return torch.relu(y + (x if self.down is None else self.down(x)))


class Tcn(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.Sequential(CausalBlock(3, 16, 3, 1), CausalBlock(16, 16, 3, 2), CausalBlock(16, 16, 3, 4))
        self.head = nn.Linear(16, 5)

    def forward(self, x):
        return self.head(torch.flatten(F.adaptive_avg_pool1d(self.blocks(x), 1), 1))


class SplitNet(nn.Module):
    """torch.split with given sizes (an ONNX Split node) on the channels, one part convolved, then joined
    with the last two rows of the other (x[:, :, -2:], a Slice counted from the end)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.right = nn.Conv2d(5, 4, 1)
        self.head = nn.Linear(3 * 2 * 8 + 4 * 2 * 8, 10)

    def forward(self, x):
        left, right = torch.split(self.conv(x), [3, 5], dim=1)
        return self.head(torch.flatten(torch.cat([left[:, :, -2:], self.right(right)[:, :, 1:3]], 1), 1))


class VolumeCnn(nn.Module):
    """A small 3-D CNN, as video and volumetric models use: Conv3d (padded, strided, dilated, grouped),
    BatchNorm3d, MaxPool3d, nearest Upsample of depth, height and width, AvgPool3d with ceil mode,
    and global average pooling before the classifier."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv3d(1, 8, 3, padding=1), nn.BatchNorm3d(8), nn.ReLU(), nn.MaxPool3d(2),
            nn.Conv3d(8, 16, (1, 3, 3), stride=(1, 2, 2), padding=(0, 1, 1)), nn.ReLU(),
            nn.Upsample(scale_factor=(1, 2, 2), mode="nearest"), nn.AvgPool3d(2, ceil_mode=True),
            nn.Conv3d(16, 16, 3, dilation=(1, 2, 2), groups=2), nn.AdaptiveAvgPool3d(1),
        )
        self.head = nn.Linear(16, 4)

    def forward(self, x):
        return self.head(torch.flatten(self.features(x), 1))


def tiny_cnn():
    """The committed fixture tests/fixtures/onnx/tiny-cnn.onnx (opset 13, training mode: batch norm kept)."""
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 8, 3, padding=1, groups=8), nn.ReLU6(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 4),
    )


def build(name):
    tv = torchvision.models
    table = {
        "resnet18": (lambda: tv.resnet18(weights=None), (1, 3, 224, 224)),
        "mobilenet_v2": (lambda: tv.mobilenet_v2(weights=None), (1, 3, 224, 224)),
        "squeezenet": (lambda: tv.squeezenet1_1(weights=None), (1, 3, 224, 224)),
        "alexnet": (lambda: tv.alexnet(weights=None), (1, 3, 224, 224)),
        "shufflenet_v2": (lambda: tv.shufflenet_v2_x0_5(weights=None), (1, 3, 224, 224)),
        "mnist_cnn": (MnistCnn, (1, 1, 28, 28)),
        "tcn": (Tcn, (1, 3, 64)),
        "split_net": (SplitNet, (1, 3, 8, 8)),
        "tiny_cnn": (tiny_cnn, (1, 3, 16, 16)),
        "volume_cnn": (VolumeCnn, (1, 1, 15, 32, 32)),
    }
    make, shape = table[name]
    return make(), shape


def onnx_scope(full):
    """The scope torch.onnx.export (1.13) names a module's nodes with: "stage2.1.branch2.7" → "/stage2/stage2.1/branch2/branch2.7"
    (a module's segment is its attribute name; an index into a Sequential is written after the Sequential's name)."""
    parts = full.split(".")
    return "/" + "/".join(f"{parts[k - 1]}.{p}" if p.isdigit() and k > 0 else p for k, p in enumerate(parts))


def export(name, folder, opset=13, train=False):
    torch.manual_seed(0)
    model, shape = build(name)
    model.train(train)
    path = os.path.join(folder, f"{name}{'-train' if train else ''}-{opset}.onnx")
    if not os.path.exists(path):
        mode = torch.onnx.TrainingMode.PRESERVE if train else torch.onnx.TrainingMode.EVAL
        with torch.no_grad():
            torch.onnx.export(model, torch.zeros(shape), path, opset_version=opset, training=mode,
                              do_constant_folding=not train, input_names=["input"], output_names=["output"])
    conv_shapes = []
    hooks = [m.register_forward_hook(lambda m, i, o: conv_shapes.append(list(o.shape)))
             for m in model.modules() if isinstance(m, (nn.Conv1d, nn.Conv2d, nn.Conv3d))]
    module_shapes = {}
    for full, module in model.named_modules():
        if full:
            hooks.append(module.register_forward_hook(
                lambda m, i, o, scope=onnx_scope(full): module_shapes.__setitem__(scope, list(o.shape))))
    with torch.no_grad():
        model(torch.zeros(shape))
    for h in hooks:
        h.remove()
    proto = onnx.load(path)
    inferred = onnx.shape_inference.infer_shapes(proto)
    dims = lambda t: [d.dim_value if d.HasField("dim_value") else None for d in t.type.tensor_type.shape.dim]
    # A tensor whose rank shape inference does not know has no shape field (not an empty one: a scalar).
    known = {v.name: dims(v) for v in list(inferred.graph.value_info) + list(inferred.graph.output)
             if v.type.tensor_type.HasField("shape")}
    float_types = {onnx.TensorProto.FLOAT, onnx.TensorProto.FLOAT16, onnx.TensorProto.DOUBLE}
    sizes = {t.name: int(onnx.numpy_helper.to_array(t).size) for t in proto.graph.initializer if t.data_type in float_types}
    return {
        "file": path,
        "torch_params": sum(p.numel() for p in model.parameters()),
        "initializer_params": sum(
            int(onnx.numpy_helper.to_array(t).size) for t in proto.graph.initializer if t.data_type in float_types
        ),
        "conv_shapes": conv_shapes,
        "output": dims(inferred.graph.output[0]),
        "node_params": sum(
            sizes[i] for n in proto.graph.node if n.op_type not in ("Reshape", "Pad", "Resize") for i in n.input if i in sizes
        ),
        "shapes": {o: known[o] for n in proto.graph.node for o in n.output if o in known},
        "ops": sorted({n.op_type for n in proto.graph.node}),
        "module_shapes": module_shapes,
    }


if __name__ == "__main__":
    request = json.load(sys.stdin)
    out = {}
    for entry in request["models"]:
        out[entry["key"]] = export(entry["name"], request["dir"], entry.get("opset", 13), entry.get("train", False))
    json.dump(out, sys.stdout)

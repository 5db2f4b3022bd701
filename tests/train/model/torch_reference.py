"""PyTorch 1.13's results for the cases the test sends (JSON on stdin): every tensor flat, channels last.

Each case gives x (N × …spatial × C), maybe a Keras-layout weight w and bias b, and a cotangent
g for the output; the answer is y, and the gradients of sum(y · g) for x and w.
"""
import json
import sys

import numpy as np
import torch
import torch.nn.functional as F


def nchw(flat, shape):
    t = torch.tensor(np.array(flat, dtype=np.float64).reshape(shape))
    return t.permute(0, t.dim() - 1, *range(1, t.dim() - 1)).contiguous()


def nhwc(t):
    return t.permute(0, *range(2, t.dim()), 1).contiguous()


def flat(t):
    return t.detach().reshape(-1).tolist()


def conv_weight(w, case):
    """Keras k… × in/g × out → PyTorch out × in/g × k…; depthwise k… × in × m → (in·m) × 1 × k…."""
    rank = len(case["kernel"])
    if case.get("depthwise"):
        k = w.shape[:rank]
        return w.reshape(*k, -1).permute(rank, *range(rank)).unsqueeze(1)
    return w.permute(rank + 1, rank, *range(rank))


def transposed_weight(w, case):
    """Ours k… × out × in/g (group j: out slice j) → PyTorch in × out/g × k…."""
    rank, g = len(case["kernel"]), case["groups"]
    k = list(w.shape[:rank])
    out, ipg = w.shape[rank], w.shape[rank + 1]
    w = w.reshape(*k, g, out // g, ipg).permute(rank, rank + 2, rank + 1, *range(rank))
    return w.reshape(g * ipg, out // g, *k)


def pad_arg(sides):
    return [p for pair in reversed(sides) for p in pair]


def run(case):
    x = nchw(case["x"], case["xShape"]).requires_grad_(True)
    w = None
    if "w" in case:
        w = torch.tensor(np.array(case["w"], dtype=np.float64).reshape(case["wShape"])).requires_grad_(True)
    rank = x.dim() - 2
    op = case["op"]
    if op == "conv":
        conv = F.conv1d if rank == 1 else F.conv2d
        groups = x.shape[1] if case.get("depthwise") else case["groups"]
        xp = F.pad(x, pad_arg(case["padding"]))
        y = conv(xp, conv_weight(w, case), None, case["strides"], 0, case["dilation"], groups)
    elif op == "transposed":
        conv = F.conv_transpose1d if rank == 1 else F.conv_transpose2d
        crops = case["crop"]
        p = [min(a, b) for a, b in crops]
        y = conv(x, transposed_weight(w, case), None, case["strides"], p, case["outputPadding"], case["groups"], case["dilation"])
        sl = [slice(None), slice(None)] + [slice(a - m, y.shape[2 + i] - (b - m)) for i, ((a, b), m) in enumerate(zip(crops, p))]
        y = y[tuple(sl)]
    elif op == "pool":
        pool = {(1, True): F.max_pool1d, (2, True): F.max_pool2d, (1, False): F.avg_pool1d, (2, False): F.avg_pool2d}[(rank, case["max"])]
        y = pool(x, case["size"], case["strides"], case["padding"], ceil_mode=case["ceilMode"])
    elif op == "upsample":
        mode = "nearest" if not case["bilinear"] else ("linear" if rank == 1 else "bilinear")
        extra = {} if mode == "nearest" else {"align_corners": False}
        y = F.interpolate(x, scale_factor=[float(s) for s in case["size"]], mode=mode, **extra)
    elif op == "gmp":
        y = torch.amax(x, dim=tuple(range(2, x.dim())), keepdim=case["keepdims"])
    elif op == "act":
        a = case.get("alpha")
        name = case["activation"]
        y = {
            "linear": lambda v: v,
            "relu": F.relu,
            "relu6": F.relu6,
            "leaky_relu": lambda v: F.leaky_relu(v, 0.2 if a is None else a),
            "elu": lambda v: F.elu(v, 1.0 if a is None else a),
            "selu": F.selu,
            "gelu": F.gelu,
            "silu": F.silu,
            "swish": F.silu,
            "sigmoid": torch.sigmoid,
            "hard_sigmoid": F.hardsigmoid,
            "hard_swish": F.hardswish,
            "tanh": torch.tanh,
            "softmax": lambda v: F.softmax(v, dim=1),
            "softplus": F.softplus,
            "softsign": F.softsign,
            "mish": F.mish,
        }[name](x)
    else:
        raise ValueError(op)
    out = nhwc(y)
    g = torch.tensor(np.array(case["g"], dtype=np.float64).reshape(out.shape)) if "g" in case else torch.ones_like(out)
    (out * g).sum().backward()
    answer = {"y": flat(out), "yShape": list(out.shape), "dx": flat(nhwc(x.grad))}
    if w is not None:
        answer["dw"] = flat(w.grad)
    return answer


cases = json.load(sys.stdin)
answers = []
for i, c in enumerate(cases):
    try:
        answers.append(run(c))
    except Exception as e:
        raise ValueError(f"case {i} ({c['op']}): {e}") from e
json.dump(answers, sys.stdout)

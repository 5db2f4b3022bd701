"""PyTorch 1.13's results for the sequence layers ConvScope writes itself (JSON cases on stdin).

Every tensor comes flat with its shape, weights in Keras' layouts. Answers: y, flat.

- "mha_torch": F.multi_head_attention_forward (PyTorch's own attention), for heads × key_dim = E.
- "mha_einsum": Keras' MultiHeadAttention written out as einsums, any key/value/output sizes and
  several attention axes (flattened together, as Keras' default attention_axes attend over all).
- "gru": nn.GRU (reset_after semantics) with Keras' z, r, h gates reordered to PyTorch's r, z, n.
- "d2s" / "s2d": F.pixel_shuffle / F.pixel_unshuffle, with TensorFlow's NHWC and its (di, dj, c)
  channel order mapped onto PyTorch's NCHW and (c, di, dj).
"""
import json
import math
import sys

import numpy as np
import torch
import torch.nn.functional as F


def t(entry):
    return torch.tensor(np.array(entry["data"], dtype=np.float64).reshape(entry["shape"]))


def flat(x):
    return x.detach().reshape(-1).tolist()


def mha_torch(c):
    q, v = t(c["query"]), t(c["value"])
    k = t(c["key"]) if "key" in c else v
    w = {name: t(e) for name, e in c["weights"].items()}
    e = q.shape[-1]
    heads = c["numHeads"]
    proj = lambda name: w[name + "/kernel"].reshape(w[name + "/kernel"].shape[0], -1).T
    in_w = torch.cat([proj("query"), proj("key"), proj("value")])
    in_b = torch.cat([w[n + "/bias"].reshape(-1) for n in ("query", "key", "value")])
    out_w = w["attention_output/kernel"].reshape(-1, e).T
    # PyTorch's functional form takes sequence × batch × features.
    y, _ = F.multi_head_attention_forward(
        q.transpose(0, 1), k.transpose(0, 1), v.transpose(0, 1), e, heads, in_w, in_b,
        None, None, False, 0.0, out_w, w["attention_output/bias"], training=False, need_weights=False,
    )
    return flat(y.transpose(0, 1))


def mha_einsum(c):
    q, v = t(c["query"]), t(c["value"])
    k = t(c["key"]) if "key" in c else v
    w = {name: t(e) for name, e in c["weights"].items()}
    kd = w["query/kernel"].shape[2]
    bias = lambda name: w[name + "/bias"] if name + "/bias" in w else 0
    flat_steps = lambda x: x.reshape(x.shape[0], -1, x.shape[-1])
    qp = torch.einsum("bne,ehd->bnhd", flat_steps(q), w["query/kernel"]) + bias("query")
    kp = torch.einsum("bme,ehd->bmhd", flat_steps(k), w["key/kernel"]) + bias("key")
    vp = torch.einsum("bme,ehd->bmhd", flat_steps(v), w["value/kernel"]) + bias("value")
    scores = torch.einsum("bnhd,bmhd->bhnm", qp / math.sqrt(kd), kp)
    mixed = torch.einsum("bhnm,bmhd->bnhd", torch.softmax(scores, dim=-1), vp)
    y = torch.einsum("bnhd,hdo->bno", mixed, w["attention_output/kernel"]) + bias("attention_output")
    return flat(y.reshape(*q.shape[:-1], -1))


def gates(m, u):
    """Keras' gate blocks z, r, h along the last axis → PyTorch's r, z, n along the first."""
    z, r, h = m[..., :u], m[..., u : 2 * u], m[..., 2 * u :]
    return torch.cat([r, z, h], dim=-1).T if m.dim() == 2 else torch.cat([r, z, h], dim=-1)


def gru(c):
    x, kernel, recurrent = t(c["x"]), t(c["kernel"]), t(c["recurrent_kernel"])
    u = recurrent.shape[0]
    layer = torch.nn.GRU(x.shape[-1], u, batch_first=True, bias="bias" in c).double()
    with torch.no_grad():
        layer.weight_ih_l0.copy_(gates(kernel, u))
        layer.weight_hh_l0.copy_(gates(recurrent, u))
        if "bias" in c:
            b = t(c["bias"])
            layer.bias_ih_l0.copy_(gates(b[0], u))
            layer.bias_hh_l0.copy_(gates(b[1], u))
    # Keras' go_backwards reads the steps from the end and outputs them in the order read.
    y, _ = layer(x.flip(1) if c.get("goBackwards") else x)
    return flat(y if c["returnSequences"] else y[:, -1])


def nchw(x):
    return x.permute(0, 3, 1, 2)


def d2s(c):
    x, b = t(c["x"]), c["blockSize"]
    n, h, w, ch = x.shape
    # TensorFlow's depth index (di·b + dj)·C' + c; pixel_shuffle reads c·b² + di·b + dj.
    crd = x.reshape(n, h, w, b * b, ch // (b * b)).transpose(3, 4).reshape(n, h, w, ch)
    return flat(F.pixel_shuffle(nchw(crd), b).permute(0, 2, 3, 1))


def s2d(c):
    x, b = t(c["x"]), c["blockSize"]
    y = F.pixel_unshuffle(nchw(x), b).permute(0, 2, 3, 1)
    n, h, w, ch = y.shape
    # pixel_unshuffle writes c·b² + di·b + dj; TensorFlow (di·b + dj)·C + c.
    return flat(y.reshape(n, h, w, ch // (b * b), b * b).transpose(3, 4))


OPS = {"mha_torch": mha_torch, "mha_einsum": mha_einsum, "gru": gru, "d2s": d2s, "s2d": s2d}

print(json.dumps([OPS[c["op"]](c) for c in json.load(sys.stdin)]))

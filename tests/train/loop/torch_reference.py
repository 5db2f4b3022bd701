"""PyTorch's own schedules, optimizers and loss on the inputs the test sends (JSON on stdin)."""
import json
import sys

import torch
import torch.nn.functional as F

spec = json.load(sys.stdin)
out = {}

# Schedules: the learning rate at every step.
peak, total = spec["peak"], spec["total"]
def rates(make):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=peak)
    sched = make(opt)
    lrs = []
    for _ in range(total):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return lrs
pct = min(0.5, max(0.25, 2 / total))
out["onecycle"] = rates(lambda o: torch.optim.lr_scheduler.OneCycleLR(o, max_lr=peak, total_steps=total, pct_start=pct))
out["cosine"] = rates(lambda o: torch.optim.lr_scheduler.LambdaLR(o, lambda s: 0.5 * (1 + __import__("math").cos(__import__("math").pi * s / total))))
out["step"] = rates(lambda o: torch.optim.lr_scheduler.MultiStepLR(o, [int(total * 0.5), int(total * 0.75)], 0.1))

# Optimizers: the parameters after the given gradients and learning rates.
for name, make in {
    "sgd_nesterov": lambda ps: torch.optim.SGD(ps, lr=1, momentum=0.9, nesterov=True, weight_decay=5e-4),
    "sgd_momentum": lambda ps: torch.optim.SGD(ps, lr=1, momentum=0.9, weight_decay=1e-3),
    "sgd_plain": lambda ps: torch.optim.SGD(ps, lr=1),
    "adam": lambda ps: torch.optim.Adam(ps, lr=1, weight_decay=1e-4),
}.items():
    w = torch.nn.Parameter(torch.tensor(spec["w0"], dtype=torch.float64))
    opt = make([w])
    for g, lr in zip(spec["grads"], spec["lrs"]):
        opt.param_groups[0]["lr"] = lr
        w.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
    out[name] = w.detach().tolist()

# Loss with label smoothing, from logits and from probabilities as the training script computes it.
logits = torch.tensor(spec["logits"], dtype=torch.float64)
labels = torch.tensor(spec["labels"])
out["ce_logits"] = F.cross_entropy(logits, labels, label_smoothing=spec["smoothing"]).item()
p = torch.softmax(logits, 1)
log_p = torch.log(p.clamp_min(1e-7))
k = p.shape[1]
soft = torch.full_like(log_p, spec["smoothing"] / k).scatter_(1, labels[:, None], 1 - spec["smoothing"] + spec["smoothing"] / k)
out["ce_probs"] = (-(soft * log_p).sum(1).mean()).item()
print(json.dumps(out))

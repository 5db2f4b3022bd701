/**
 * The PyTorch side of train.bench.ts: the same ResNet-20 (option A shortcuts: subsample by 2
 * and zero-pad the channels; He et al. 2016, §4.2), batch, loss and optimizer, on the CPU or,
 * given 'cuda', the GPU (float32; PyTorch's default lets cuDNN use TF32 for convolutions, which
 * the row says). Arguments: batch, timed steps, threads, device. Prints one JSON line shaped
 * like the bench's Result.
 */
export const PYTORCH_BENCH = String.raw`
import json, statistics, sys, time
t_start = time.perf_counter()
import torch, torch.nn as nn, torch.nn.functional as F
batch, steps, threads = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
device = sys.argv[4] if len(sys.argv) > 4 else 'cpu'
torch.set_num_threads(threads)
torch.manual_seed(1)

class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False); self.b1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False); self.b2 = nn.BatchNorm2d(cout)
        self.stride, self.pad = stride, cout - cin
    def forward(self, x):
        y = self.b2(self.c2(F.relu(self.b1(self.c1(x)))))
        s = x[:, :, ::self.stride, ::self.stride] if self.stride > 1 else x
        if self.pad: s = F.pad(s, (0, 0, 0, 0, self.pad // 2, self.pad - self.pad // 2))
        return F.relu(y + s)

class ResNet20(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 16, 3, 1, 1, bias=False); self.bn = nn.BatchNorm2d(16)
        layers, cin = [], 16
        for stage, cout in enumerate([16, 32, 64]):
            for b in range(3):
                layers.append(Block(cin, cout, 2 if stage > 0 and b == 0 else 1)); cin = cout
        self.layers = nn.Sequential(*layers); self.fc = nn.Linear(64, 10)
    def forward(self, x):
        x = self.layers(F.relu(self.bn(self.conv(x))))
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))

model = ResNet20().to(device)
assert sum(p.numel() for p in model.parameters()) == 269722  # weights; 271098 with the BN running statistics
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True, weight_decay=5e-4)
x = (torch.rand(batch, 3, 32, 32) * 4 - 2).to(device)
y = (torch.arange(batch) % 10).to(device)

def train():
    model.train(); opt.zero_grad()
    loss = F.cross_entropy(model(x), y, label_smoothing=0.1)
    loss.backward(); opt.step(); loss.item()

def infer():
    model.eval()
    with torch.no_grad(): model(x).sum().item()

def timed(f, n):
    out = []
    for _ in range(n):
        t0 = time.perf_counter(); f(); out.append((time.perf_counter() - t0) * 1000)
    return out

train()
first = time.perf_counter() - t_start
timed(train, 2)
tt = timed(train, steps)
timed(infer, 2)
ti = timed(infer, steps)
where = ("CUDA %s%s" % (torch.cuda.get_device_name(), ", TF32 convs" if torch.backends.cudnn.allow_tf32 else "")
  if device == 'cuda' else "CPU, %d thread%s" % (threads, "" if threads == 1 else "s"))
print(json.dumps({"config": "PyTorch %s %s" % (torch.__version__.split('+')[0].split('a')[0], where),
  "firstStepS": first, "trainMedianMs": statistics.median_low(tt), "trainBestMs": min(tt), "inferMedianMs": statistics.median_low(ti)}))
`;

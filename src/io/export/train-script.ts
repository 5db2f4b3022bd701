import { fittingDataset } from '../../engine/analysis/data-fit';
import type { Analysis } from '../../engine/analysis/result';
import { elementCount } from '../../engine/shape/shape';
import { toPyTorch } from './pytorch';
import type { ExportResult } from './problems';
import { isReservedName, pyDocText, pyString } from './python-text';

/**
 * A training script for the exported module (saved as `model.py` beside it): CIFAR-10 (the
 * official binary archive, or torchvision's download) or MNIST, with the recipe ConvScope's
 * trainer uses: SGD with Nesterov momentum, weight decay, a one-cycle schedule, label smoothing,
 * random crops with 4 pixels of padding and horizontal flips. Mixed precision on a GPU;
 * several GPUs or machines through torchrun (DistributedDataParallel). `--data` defaults to the
 * data set the model's input fits (as the Train tab's does: `fittingDataset`), CIFAR-10 when
 * it fits neither (the script then says which input size it needs).
 */
export function toTrainScript(analysis: Analysis, moduleName = 'model'): ExportResult<string> {
  const exported = toPyTorch(analysis);
  if (!exported.ok) return exported;
  const { inputs } = exported.value;
  if (inputs.length !== 1) {
    return {
      ok: false,
      problems: [{ layer: null, message: 'the training script needs a model with exactly one input (an image).' }],
    };
  }
  if ((inputs[0]?.length ?? 0) > 3) {
    const shape = (inputs[0] ?? []).map((d) => d ?? '?').join('×');
    return {
      ok: false,
      problems: [
        {
          layer: null,
          message: `the training script trains on 2-D images (CIFAR-10, MNIST), but this model reads ${shape} volumes (channels × depth × height × width): train it with a data loader of your own.`,
        },
      ],
    };
  }
  const output = analysis.layers.find((l) => l.name === analysis.outputs[0]);
  const classes = output?.output ? elementCount(output.output) : null;
  const last = output?.spec;
  const probabilities =
    !!last &&
    ((last.type === 'Activation' && last.activation === 'softmax') ||
      ('activation' in last && last.activation === 'softmax'));
  const shape = inputs[0] ?? [];
  const data = fittingDataset(analysis.model) === 'mnist' ? 'mnist' : 'cifar10';
  return { ok: true, value: script({ name: analysis.model.name, moduleName, shape, classes, probabilities, data }) };
}

/** `from model import build_model`, or through importlib for a file name that is not an identifier (`2024.py`). */
function importLine(moduleName: string): string {
  const plain = /^[A-Za-z_][A-Za-z0-9_]*$/.test(moduleName) && !isReservedName(moduleName);
  return plain
    ? `from ${moduleName} import build_model`
    : `import importlib\n\nbuild_model = importlib.import_module(${pyString(moduleName)}).build_model`;
}

interface ScriptArgs {
  readonly name: string;
  readonly moduleName: string;
  readonly shape: readonly (number | null)[];
  readonly classes: number | null;
  readonly probabilities: boolean;
  /** `--data`'s default. */
  readonly data: 'mnist' | 'cifar10';
}

/** Usage lines of the docstring, for the default data set. */
function usage(data: ScriptArgs['data']): string {
  return data === 'mnist'
    ? `One GPU or the CPU (MNIST, the data set this model's input fits; torchvision downloads it into --data-dir):
    python train.py --epochs 30
Several GPUs, or several machines (DistributedDataParallel):
    torchrun --nproc_per_node=4 train.py`
    : `One GPU or the CPU:
    python train.py --data cifar10 --epochs 30
    python train.py --data cifar10 --cifar-archive cifar-10-binary.tar.gz
Several GPUs, or several machines (DistributedDataParallel):
    torchrun --nproc_per_node=4 train.py --data cifar10`;
}

function script({ name, moduleName, shape, classes, probabilities, data }: ScriptArgs): string {
  return `"""Train ${pyDocText(name)} (exported by ConvScope) on CIFAR-10 or MNIST.

The model comes from ${pyDocText(moduleName)}.py beside this file. The defaults are ConvScope's recipe:
SGD with Nesterov momentum 0.9, weight decay 5e-4, a one-cycle learning rate peaking at 0.2,
label smoothing 0.1, random 4-pixel-padded crops and horizontal flips (CIFAR-10).

${usage(data)}
"""
import argparse
import math
import os
import tarfile
import time

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset, DistributedSampler, Subset
from torchvision import datasets, transforms

${importLine(moduleName)}

INPUT_SHAPE = (${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')})  # channels, height, width, as the model takes it
CLASSES = ${classes ?? 'None'}
OUTPUT_IS_PROBABILITY = ${probabilities ? 'True' : 'False'}  # the model ends with softmax
CIFAR_MEAN, CIFAR_STD = (0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", choices=["cifar10", "mnist"], default="${data}", help="default: the data set the model's input fits")
    p.add_argument("--data-dir", default="data", help="where torchvision keeps (or downloads) the data set")
    p.add_argument("--cifar-archive", help="the official cifar-10-binary.tar.gz, read directly instead of torchvision's copy")
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--batch-size", type=int, default=128, help="per process")
    p.add_argument("--lr", type=float, default=0.2, help="peak learning rate")
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--weight-decay", type=float, default=5e-4)
    p.add_argument("--label-smoothing", type=float, default=0.1)
    p.add_argument("--schedule", choices=["onecycle", "cosine", "step"], default="onecycle")
    p.add_argument("--max-train-samples", type=int, help="train on the first N images only")
    p.add_argument("--max-test-samples", type=int, help="test on the first N images only")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--no-amp", action="store_true", help="no mixed precision on a GPU")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--save", help="write the trained weights (state_dict) here")
    return p.parse_args()


class CifarBinary(Dataset):
    """CIFAR-10 from the official binary archive: records of 1 label byte and 3,072 pixel bytes
    (the red, green and blue planes, each 32×32, row by row)."""

    def __init__(self, archive, train, transform):
        wanted = "data_batch_" if train else "test_batch"
        records = []
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                if member.isfile() and os.path.basename(member.name).startswith(wanted) and member.name.endswith(".bin"):
                    data = np.frombuffer(tar.extractfile(member).read(), dtype=np.uint8)
                    if data.size % 3073:
                        raise ValueError(f"{member.name}: not CIFAR-10 binary records (size {data.size})")
                    records.append(data.reshape(-1, 3073))
        if not records:
            raise ValueError(f"{archive}: no {wanted}*.bin inside; is it cifar-10-binary.tar.gz?")
        records = np.concatenate(records)
        self.labels = torch.from_numpy(records[:, 0].astype(np.int64))
        self.images = records[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)  # to H×W×C for transforms
        self.transform = transform

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return self.transform(self.images[i]), self.labels[i]


def datasets_for(args):
    if args.data == "mnist":
        normalize = transforms.Normalize((0.1307,), (0.3081,))
        train = datasets.MNIST(args.data_dir, train=True, download=True, transform=transforms.Compose([transforms.ToTensor(), normalize]))
        test = datasets.MNIST(args.data_dir, train=False, download=True, transform=transforms.Compose([transforms.ToTensor(), normalize]))
        return train, test, (1, 28, 28)
    normalize = transforms.Normalize(CIFAR_MEAN, CIFAR_STD)
    augment = transforms.Compose([transforms.ToTensor(), transforms.RandomCrop(32, padding=4), transforms.RandomHorizontalFlip(), normalize])
    plain = transforms.Compose([transforms.ToTensor(), normalize])
    if args.cifar_archive:
        return CifarBinary(args.cifar_archive, True, augment), CifarBinary(args.cifar_archive, False, plain), (3, 32, 32)
    train = datasets.CIFAR10(args.data_dir, train=True, download=True, transform=augment)
    test = datasets.CIFAR10(args.data_dir, train=False, download=True, transform=plain)
    return train, test, (3, 32, 32)


def check_model(data_shape):
    fixed = [d for d in INPUT_SHAPE]
    if len(fixed) != len(data_shape) or any(d is not None and d != s for d, s in zip(fixed, data_shape)):
        raise SystemExit(f"This model takes {INPUT_SHAPE} images but the data set's are {data_shape}: change the model's input.")
    if CLASSES not in (None, 10):
        raise SystemExit(f"This model has {CLASSES} outputs but the data set has 10 classes: change its last layer.")


def loss_fn(output, target, smoothing):
    if not OUTPUT_IS_PROBABILITY:
        return F.cross_entropy(output.float(), target, label_smoothing=smoothing)
    log_p = torch.log(output.float().clamp_min(1e-7))
    soft = torch.full_like(log_p, smoothing / log_p.shape[1]).scatter_(1, target[:, None], 1 - smoothing + smoothing / log_p.shape[1])
    return -(soft * log_p).sum(1).mean()


def schedule(optimizer, args, steps_per_epoch):
    total = args.epochs * steps_per_epoch
    if args.schedule == "onecycle" and total >= 4:
        # A quarter of the steps warming up (at least two, which very short runs need).
        return torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=args.lr, total_steps=total, pct_start=min(0.5, max(0.25, 2 / total)))
    if args.schedule == "onecycle":
        return torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: 1.0)
    if args.schedule == "cosine":
        return torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: 0.5 * (1 + math.cos(math.pi * s / total)))
    return torch.optim.lr_scheduler.MultiStepLR(optimizer, [int(total * 0.5), int(total * 0.75)], 0.1)


def main():
    args = parse_args()
    distributed = "WORLD_SIZE" in os.environ
    if distributed:
        dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")
        rank, local = dist.get_rank(), int(os.environ.get("LOCAL_RANK", 0))
    else:
        rank, local = 0, 0
    device = torch.device(f"cuda:{local}" if torch.cuda.is_available() else "cpu")
    if device.type == "cuda":
        torch.cuda.set_device(device)
    torch.manual_seed(args.seed + rank)
    train_set, test_set, data_shape = datasets_for(args)
    check_model(data_shape)
    if args.max_train_samples:
        train_set = Subset(train_set, range(min(args.max_train_samples, len(train_set))))
    if args.max_test_samples:
        test_set = Subset(test_set, range(min(args.max_test_samples, len(test_set))))
    sampler = DistributedSampler(train_set) if distributed else None
    train_loader = DataLoader(train_set, args.batch_size, shuffle=sampler is None, sampler=sampler, num_workers=args.workers, drop_last=True, pin_memory=device.type == "cuda")
    test_loader = DataLoader(test_set, args.batch_size, num_workers=args.workers)
    model = build_model().to(device)
    if distributed:
        model = torch.nn.parallel.DistributedDataParallel(model, device_ids=[local] if device.type == "cuda" else None)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum, nesterov=True, weight_decay=args.weight_decay)
    scheduler = schedule(optimizer, args, max(len(train_loader), 1))
    amp = device.type == "cuda" and not args.no_amp
    scaler = torch.cuda.amp.GradScaler(enabled=amp)
    for epoch in range(1, args.epochs + 1):
        if sampler:
            sampler.set_epoch(epoch)
        model.train()
        seen, correct, total_loss, start = 0, 0, 0.0, time.time()
        for images, labels in train_loader:
            images, labels = images.to(device, non_blocking=True), labels.to(device, non_blocking=True)
            with torch.autocast(device.type, enabled=amp):
                output = model(images)
                loss = loss_fn(output, labels, args.label_smoothing)
            optimizer.zero_grad(set_to_none=True)
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
            scheduler.step()
            seen += len(labels)
            correct += (output.argmax(1) == labels).sum().item()
            total_loss += loss.item() * len(labels)
        accuracy = evaluate(model, test_loader, device)
        if rank == 0:
            rate = seen / max(time.time() - start, 1e-9)
            print(f"epoch {epoch}/{args.epochs}  loss {total_loss / max(seen, 1):.4f}  train acc {100 * correct / max(seen, 1):.1f}%  test acc {100 * accuracy:.1f}%  {rate:.0f} images/s", flush=True)
    if rank == 0 and args.save:
        torch.save((model.module if distributed else model).state_dict(), args.save)
    if distributed:
        dist.destroy_process_group()


@torch.no_grad()
def evaluate(model, loader, device):
    model.eval()
    correct = seen = 0
    for images, labels in loader:
        output = model(images.to(device))
        correct += (output.argmax(1).cpu() == labels).sum().item()
        seen += len(labels)
    return correct / max(seen, 1)


if __name__ == "__main__":
    main()
`;
}

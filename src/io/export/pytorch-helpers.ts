/**
 * Python helpers the PyTorch export includes when the model needs them. Each reproduces one
 * Keras/TensorFlow semantic exactly with PyTorch's own operations.
 */
export const HELPERS = {
  pad_same: `def pad_same(x, kernel, stride, dilation, value=0.0):
    """TensorFlow's 'same' padding on the last len(kernel) axes: the output is ceil(size / stride)
    and the odd pixel of padding goes at the end (bottom/right)."""
    pads = []
    for size, k, s, d in reversed(list(zip(x.shape[-len(kernel):], kernel, stride, dilation))):
        total = max((-(-size // s) - 1) * s + (k - 1) * d + 1 - size, 0)
        pads += [total // 2, total - total // 2]
    return F.pad(x, pads, value=value)`,
  avg_pool_same: `def avg_pool_same(x, kernel, stride):
    """Average pooling with TensorFlow's 'same' padding: border windows average the real values
    only, as TensorFlow does (PyTorch's count_include_pad=False, with the odd pixel at the end)."""
    pool = (F.avg_pool1d, F.avg_pool2d, F.avg_pool3d)[len(kernel) - 1]
    ones = torch.ones_like(x[:1, :1])
    unit = (1,) * len(kernel)
    return pool(pad_same(x, kernel, stride, unit), kernel, stride) / pool(pad_same(ones, kernel, stride, unit), kernel, stride)`,
  layout: `def to_channels_last(x):
    """N×C×… → N×…×C: the Keras layout, for the operations whose result depends on it."""
    return x.movedim(1, -1)


def to_channels_first(x):
    """N×…×C → N×C×…: back to PyTorch's layout."""
    return x.movedim(-1, 1)`,
  depth_to_space: `def depth_to_space(x, b):
    """TensorFlow's depth_to_space on N×C×H×W: output (i·b + di, j·b + dj, k) reads input channel
    (di·b + dj)·C/b² + k at (i, j) ("DCR"; F.pixel_shuffle reads k·b² + di·b + dj instead)."""
    n, c, h, w = x.shape
    return x.reshape(n, b, b, c // (b * b), h, w).permute(0, 3, 4, 1, 5, 2).reshape(n, c // (b * b), h * b, w * b)`,
  space_to_depth: `def space_to_depth(x, b):
    """TensorFlow's space_to_depth on N×C×H×W, the inverse of depth_to_space: each b×b block
    becomes one position of b²·C channels, channel (di·b + dj)·C + k."""
    n, c, h, w = x.shape
    return x.reshape(n, c, h // b, b, w // b, b).permute(0, 3, 5, 1, 2, 4).reshape(n, c * b * b, h // b, w // b)`,
  ZeroPadShortcut: `class ZeroPadShortcut(nn.Module):
    """He et al. 2015, option A: every stride-th position, and zero channels appended (split
    before and after) up to \`channels\`. No parameters."""

    def __init__(self, channels, stride):
        super().__init__()
        self.channels = channels
        self.stride = stride

    def forward(self, x):
        x = x[(slice(None), slice(None)) + tuple(slice(None, None, s) for s in self.stride)]
        extra = self.channels - x.shape[1]
        return F.pad(x, (0, 0) * len(self.stride) + (extra // 2, extra - extra // 2))`,
  blocks: `def _conv_norm(dims):
    return (nn.Conv1d, nn.BatchNorm1d) if dims == 1 else (nn.Conv2d, nn.BatchNorm2d)


class _Residual(nn.Module):
    """Shared by the residual blocks: padding of their k×k convolution, and the shortcut."""

    def _setup(self, dims, kernel_size, same, in_channels, out_channels, stride, shortcut, bias):
        Conv, Norm = _conv_norm(dims)
        self.dims, self.kernel, self.same = dims, (kernel_size,) * dims, same
        self.shortcut_conv = self.shortcut_bn = self.shortcut = None
        if stride != 1 or in_channels != out_channels:
            if shortcut == "A":
                self.shortcut = ZeroPadShortcut(out_channels, (stride,) * dims)
            else:
                self.shortcut_conv = Conv(in_channels, out_channels, 1, stride, bias=bias)
                self.shortcut_bn = Norm(out_channels, eps=1e-5, momentum=0.1)
        return Conv, Norm, 0 if same else kernel_size // 2

    def _pad(self, x, stride):
        return pad_same(x, self.kernel, (stride,) * self.dims, (1,) * self.dims) if self.same else x

    def _shortcut(self, x):
        if self.shortcut is not None:
            return self.shortcut(x)
        if self.shortcut_conv is not None:
            return self.shortcut_bn(self.shortcut_conv(x))
        return x


class BasicBlock(_Residual):
    """He et al. 2015's basic block: conv k×k (stride) → BN → ReLU → conv k×k → BN, plus the
    shortcut, then ReLU."""

    def __init__(self, dims, in_channels, filters, kernel_size, stride, shortcut, bias, same):
        super().__init__()
        Conv, Norm, pad = self._setup(dims, kernel_size, same, in_channels, filters, stride, shortcut, bias)
        self.stride = stride
        self.conv1 = Conv(in_channels, filters, kernel_size, stride, pad, bias=bias)
        self.bn1 = Norm(filters, eps=1e-5, momentum=0.1)
        self.conv2 = Conv(filters, filters, kernel_size, 1, pad, bias=bias)
        self.bn2 = Norm(filters, eps=1e-5, momentum=0.1)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(self._pad(x, self.stride))))
        out = self.bn2(self.conv2(self._pad(out, 1)))
        return F.relu(out + self._shortcut(x))


class Bottleneck(_Residual):
    """He et al. 2015's bottleneck: 1×1 → k×k → 1×1 (×expansion), each with BN, plus the
    shortcut, then ReLU. The stride is on conv1 (the paper, Keras) or conv2 (torchvision)."""

    def __init__(self, dims, in_channels, filters, expansion, kernel_size, stride, stride_on, shortcut, bias, same):
        super().__init__()
        out = filters * expansion
        Conv, Norm, pad = self._setup(dims, kernel_size, same, in_channels, out, stride, shortcut, bias)
        self.stride2 = stride if stride_on == "conv2" else 1
        self.conv1 = Conv(in_channels, filters, 1, stride if stride_on == "conv1" else 1, bias=bias)
        self.bn1 = Norm(filters, eps=1e-5, momentum=0.1)
        self.conv2 = Conv(filters, filters, kernel_size, self.stride2, pad, bias=bias)
        self.bn2 = Norm(filters, eps=1e-5, momentum=0.1)
        self.conv3 = Conv(filters, out, 1, bias=bias)
        self.bn3 = Norm(out, eps=1e-5, momentum=0.1)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = F.relu(self.bn2(self.conv2(self._pad(out, self.stride2))))
        out = self.bn3(self.conv3(out))
        return F.relu(out + self._shortcut(x))`,
  Normalization: `class Normalization(nn.Module):
    """Keras' Normalization: (x - mean) / max(sqrt(variance), 1e-7), the statistics shaped
    \`shape\` (1 on the axes that share one); invert undoes it. Buffers, not parameters: Keras
    keeps them out of training too, and \`count\` is there when adapt() sets them."""

    def __init__(self, shape, mean=0.0, variance=1.0, invert=False, adapted=False):
        super().__init__()
        self.invert = invert
        self.register_buffer("mean", self._stat(mean, shape))
        self.register_buffer("variance", self._stat(variance, shape))
        if adapted:
            self.register_buffer("count", torch.tensor(0, dtype=torch.int64))

    @staticmethod
    def _stat(value, shape):
        t = torch.as_tensor(value, dtype=torch.float32)
        return (t.reshape(shape) if t.numel() > 1 else t.expand(shape)).clone()

    def forward(self, x):
        std = torch.clamp(torch.sqrt(self.variance), min=1e-7)
        return x * std + self.mean if self.invert else (x - self.mean) / std`,
} as const;

export type Helper = keyof typeof HELPERS;

/** Helpers other helpers need. */
export const HELPER_NEEDS: Partial<Record<Helper, Helper[]>> = {
  avg_pool_same: ['pad_same'],
  blocks: ['pad_same', 'ZeroPadShortcut'],
};

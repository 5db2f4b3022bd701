/**
 * The backward-input pass of a strided, dilated convolution as a few stride-1 correlations
 * ("polyphase" or sub-pixel decomposition; Dumoulin & Visin 2016, "A guide to convolution
 * arithmetic", §4 on transposed convolutions), so the fast forward kernels can compute it
 * without the zeros that inserting stride − 1 gaps into dy would multiply.
 *
 * Along one axis the forward convolution reads input i = o·s + k·d − p for output o and tap k
 * (stride s, dilation d, padding before p), so the input gradient is
 *   dx[i] = Σ_{o, k : o·s + k·d − p = i} dy[o] · w[k].
 * Inputs i = r, r + s, r + 2s, … (phase r) are reached only by the taps k with
 * k·d ≡ r + p (mod s): an arithmetic run k₀, k₀ + s/g, k₀ + 2s/g, … (g = gcd(s, d)) whose dy
 * positions step by d/g. So phase r is a stride-1 correlation of dy with those taps reversed,
 * dilated by d/g and padded (or cropped) so that it yields exactly the phase's inputs.
 */
export interface AxisPhase {
  /** The phase's first input position r; it covers r, r + s, r + 2s, … */
  readonly offset: number;
  /** How many input positions the phase covers. */
  readonly length: number;
  /** Forward-kernel taps in the order the correlation applies them (empty: no tap reaches it). */
  readonly taps: readonly number[];
  /** Dilation of the correlation over dy. */
  readonly dilation: number;
  /** dy positions dropped before and after (when the forward padding exceeds the kernel's reach). */
  readonly cropBefore: number;
  readonly cropAfter: number;
  /** Zeros the correlation adds before and after dy. */
  readonly padBefore: number;
  readonly padAfter: number;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

const mod = (a: number, m: number): number => ((a % m) + m) % m;

/**
 * Plans the phases along one axis. `inSize`: the forward input's length; `outSize`: dy's length;
 * `padBefore`: the forward padding before the first input (TF 'same' and explicit alike).
 */
export function planAxis(
  inSize: number,
  outSize: number,
  kernel: number,
  stride: number,
  dilation: number,
  padBefore: number,
): AxisPhase[] {
  const g = gcd(stride, dilation);
  const tapStep = stride / g;
  const dyStep = dilation / g;
  const phases: AxisPhase[] = [];
  for (let r = 0; r < Math.min(stride, inSize); r++) {
    const length = Math.ceil((inSize - r) / stride);
    let k0 = -1;
    for (let k = 0; k < Math.min(kernel, tapStep); k++) {
      if (mod(r + padBefore - k * dilation, stride) === 0) {
        k0 = k;
        break;
      }
    }
    const count = k0 < 0 ? 0 : Math.floor((kernel - 1 - k0) / tapStep) + 1;
    // dy position for phase output a and the j-th tap from k₀: a + q − j·dyStep.
    const q = (r + padBefore - k0 * dilation) / stride;
    const before = (count - 1) * dyStep - q;
    const after = length + (count - 1) * dyStep - before - outSize;
    const cropBefore = Math.max(0, -before);
    const cropAfter = Math.max(0, -after);
    if (count === 0 || outSize - cropBefore - cropAfter <= 0) {
      phases.push({
        offset: r,
        length,
        taps: [],
        dilation: dyStep,
        cropBefore: 0,
        cropAfter: 0,
        padBefore: 0,
        padAfter: 0,
      });
      continue;
    }
    phases.push({
      offset: r,
      length,
      taps: Array.from({ length: count }, (_, m) => k0 + (count - 1 - m) * tapStep),
      dilation: dyStep,
      cropBefore,
      cropAfter,
      padBefore: Math.max(0, before),
      padAfter: Math.max(0, after),
    });
  }
  return phases;
}

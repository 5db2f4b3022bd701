import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeModel, countsExact } from '../../src/engine/analysis/analyze';
import { compact, formatBytes, formatCount, isExactCount } from '../../src/engine/shape/format';
import { parseProject } from '../../src/io/project/format';
import { summaryJson } from '../../src/io/summary/json';
import { summaryText } from '../../src/io/summary/text';
import { presetModel } from '../../src/presets';

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const SUPERSCRIPT = Object.fromEntries([...'⁰¹²³⁴⁵⁶⁷⁸⁹'].map((c, i) => [c, String(i)]));

/** The exact count, from BigInt, as "1.845×10¹⁹" would read it: 4 significant digits. */
function leadingDigits(exact: bigint): { mantissa: number; exponent: number } {
  const digits = exact.toString();
  return { mantissa: Number(`${digits[0]}.${digits.slice(1, 12)}`), exponent: digits.length - 1 };
}

function readScientific(text: string): { mantissa: number; exponent: number } {
  const match = /^≈(\d\.\d+)×10([⁰¹²³⁴⁵⁶⁷⁸⁹]+)$/.exec(text);
  if (!match) throw new Error(`not scientific: ${text}`);
  const exponent = Number([...(match[2] as string)].map((c) => SUPERSCRIPT[c]).join(''));
  return { mantissa: Number(match[1]), exponent };
}

function model(layers: object[]) {
  const read = parseProject({ format: 'convscope.model', version: 1, name: 'huge', layers });
  if (!read.ok) throw new Error(read.error);
  return analyzeModel(read.model);
}

// 2^20 channels (the limit) on a 4096×4096 map, a 4096×4096 kernel to 2^20 filters: 2^64 + 2^20 parameters.
const HUGE = [
  { name: 'input', type: 'Input', shape: [4096, 4096, 1 << 20] },
  { name: 'bn', type: 'BatchNormalization' },
  { name: 'conv', type: 'Conv2D', filters: 1 << 20, kernelSize: 4096, padding: 'same' },
];
const CONV_PARAMS = 2n ** 64n + 2n ** 20n;

describe('counts past 2^53 are marked, never printed as if exact', () => {
  it('formatCount: exact digits up to 2^53 − 1, then ≈ and four significant digits', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(269_722)).toBe('269,722');
    expect(formatCount(Number.MAX_SAFE_INTEGER)).toBe('9,007,199,254,740,991');
    expect(formatCount(2 ** 64)).toBe('≈1.845×10¹⁹');
    expect(formatCount(3.095e26)).toBe('≈3.095×10²⁶');
    expect(isExactCount(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(isExactCount(Number.MAX_SAFE_INTEGER + 1)).toBe(false);
  });

  it('compact and formatBytes go to powers of ten past a thousand T', () => {
    expect(compact(15_470_264_320)).toBe('15.5 G');
    expect(compact(3.095e26)).toBe('3.10×10²⁶');
    expect(formatBytes(269_722 * 4)).toBe('1.03 MB');
    expect(formatBytes(2 ** 64 * 4)).toBe('≈7.38×10¹⁹ B');
    // A small model's weights are not "0.00 MB": 307 float32 numbers are 1,228 bytes.
    expect(formatBytes(307 * 4)).toBe('1.20 KB');
    expect(formatBytes(10 * 4)).toBe('40 B');
  });

  it('any count: its exact digits when exact, else the exact count’s leading digits (BigInt oracle)', () => {
    const dim = fc.integer({ min: 1, max: 1 << 24 });
    fc.assert(
      fc.property(fc.array(dim, { minLength: 1, maxLength: 5 }), fc.nat({ max: 1 << 20 }), (dims, bias) => {
        // A weight count as the engine makes it: a product of sizes, plus a bias.
        const exact = dims.reduce((a, d) => a * BigInt(d), 1n) + BigInt(bias);
        const n = dims.reduce((a, d) => a * d, 1) + bias;
        const text = formatCount(n);
        if (exact <= SAFE) {
          expect(text).toBe(exact.toLocaleString('en-US'));
        } else {
          const shown = readScientific(text);
          const truth = leadingDigits(exact);
          expect(shown.exponent).toBe(truth.exponent);
          expect(Math.abs(shown.mantissa - truth.mantissa)).toBeLessThanOrEqual(0.0005 + 1e-9);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('a 2^64-parameter layer: the summary marks it, totals and JSON say the counts are not exact', () => {
    const analysis = model(HUGE);
    expect(analysis.diagnostics).toEqual([]);
    const conv = analysis.layers.find((l) => l.name === 'conv');
    expect(formatCount(conv?.params ?? 0)).toBe('≈1.845×10¹⁹');
    expect(leadingDigits(CONV_PARAMS).exponent).toBe(19);
    const text = summaryText(analysis);
    // No run of digits that claims 19 or more significant figures anywhere in the table.
    expect(text).not.toMatch(/\d{1,3}(,\d{3}){6,}/);
    expect(text).toContain('≈ marks counts past 2^53');
    expect(text).toContain('Total params: ≈1.845×10¹⁹');
    expect(countsExact(analysis)).toBe(false);
    expect(summaryJson(analysis).countsExact).toBe(false);
  });

  it('non-trainable parameters stay exact beside a rounded total (summed, not subtracted)', () => {
    const analysis = model(HUGE);
    // Batch norm's moving mean and variance over 2^20 channels: 2^21, exact, whatever the total.
    expect(analysis.totals.nonTrainableParams).toBe(2 ** 21);
    expect(analysis.layers.find((l) => l.name === 'bn')?.nonTrainableParams).toBe(2 ** 21);
    expect(summaryText(analysis, 'keras')).toContain('Non-trainable params: 2,097,152');
    // PyTorch counts them apart, as buffers.
    expect(summaryText(analysis, 'pytorch')).toContain('Buffers: 2,097,152');
  });

  it('real models are exact and say nothing about it', () => {
    for (const id of ['resnet20-a', 'vgg16', 'resnet50']) {
      const analysis = analyzeModel(presetModel(id));
      expect(countsExact(analysis)).toBe(true);
      expect(summaryJson(analysis).countsExact).toBe(true);
      expect(summaryText(analysis)).not.toContain('≈');
    }
  });
});

import type { Analysis, LayerResult } from '../../engine/analysis/result';
import { shapeIn, weightIn, type Notation } from '../../engine/notation';
import { countsExact } from '../../engine/analysis/analyze';
import { countIn, headlineParams, type FrameworkCount } from '../../engine/analysis/param-counts';
import { diagnosticText } from '../../engine/model/diagnostic';
import { compact, fieldText, formatBytes, formatCount, isExactCount } from '../../engine/shape/format';
import type { DataFormat, Shape } from '../../engine/shape/shape';
import { terminalText } from '../safe-text';

const HEADERS = ['Layer (type)', 'Output shape', 'Weights', 'Params', 'MACs', 'RF size/jump/start'] as const;
/** The frozen column's header and mark; the column is shown only when some layer is frozen. */
const FROZEN_HEADER = 'Frozen';
const FROZEN_MARK = '❄';

/**
 * A text table like Keras' `model.summary()`, with weight shapes, MACs and receptive fields,
 * then totals and diagnostics. Shapes are written in `notation` (PyTorch by default), in the table and in the diagnostics. Names
 * and messages are terminal text: a name's control characters show as escapes (`\x1b`, `\n`).
 */
export function summaryText(analysis: Analysis, notation: Notation = 'pytorch'): string {
  const format = analysis.model.dataFormat;
  const anyFrozen = someFrozen(analysis.layers);
  const headers: readonly string[] = anyFrozen ? [...HEADERS, FROZEN_HEADER] : HEADERS;
  const rows = analysis.layers
    .flatMap((l) => rowsOf(l, format, notation, ''))
    .map(([cells, frozen]) => (anyFrozen ? [...cells, frozen ? FROZEN_MARK : ''] : cells));
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i >= 3 && i <= 4 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = '─'.repeat(widths.reduce((a, b) => a + b + 2, -2));
  const { totals } = analysis;
  const layout =
    notation === 'pytorch'
      ? 'PyTorch notation: shapes N×C×H×W, kernels out×in×kH×kW'
      : 'Keras notation: shapes N×H×W×C, kernels kH×kW×in×out';
  const out = [
    `Model: "${terminalText(analysis.model.name)}" — ${layout}`,
    rule,
    line(headers),
    rule,
    ...rows.map(line),
    rule,
    ...(anyFrozen
      ? [
          `${FROZEN_MARK} frozen: trainable=False in Keras, requires_grad False in PyTorch; training leaves its weights as they are.`,
        ]
      : []),
    ...totalLines(countIn(totals, notation), totals.complete),
    `MACs per example: ${totals.macs === null ? 'unknown (an input size is not fixed)' : isExactCount(totals.macs) ? `${formatCount(totals.macs)} (${compact(totals.macs)})` : formatCount(totals.macs)}`,
  ];
  if (!countsExact(analysis))
    out.push('≈ marks counts past 2^53 (9,007,199,254,740,991): double precision rounds them.');
  if (analysis.diagnostics.length) {
    out.push('', 'Diagnostics:');
    for (const d of analysis.diagnostics) {
      out.push(
        wrap(
          terminalText(`${d.severity.padEnd(7)} ${d.layer ?? 'model'}: ${diagnosticText(d, format, notation)}`),
          100,
          '        ',
        ),
      );
    }
  }
  return out.join('\n') + '\n';
}

function someFrozen(layers: readonly LayerResult[]): boolean {
  return layers.some((l) => l.frozen || someFrozen(l.children ?? []));
}

/** Each row's cells, and whether its layer is frozen. */
function rowsOf(
  l: LayerResult,
  format: DataFormat,
  notation: Notation,
  indent: string,
): [cells: string[], frozen: boolean][] {
  const weights = l.children
    ? `${l.weights.length} tensors`
    : l.weights.map((w) => weightIn(w, notation).shape.join('×')).join(', ');
  const row = [
    `${indent}${terminalText(`${l.name} (${l.type})`)}`,
    l.output ? tuple(shapeIn(l.output, format, notation)) : 'not built',
    weights,
    formatCount(headlineParams(l, notation)),
    l.macs === null ? '?' : formatCount(l.macs),
    fieldText(l.receptiveField),
  ];
  const children = (l.children ?? []).flatMap((c) => rowsOf(c, format, notation, `${indent}  `));
  return [[row, !!l.frozen], ...children];
}

function tuple(shape: Shape): string {
  return `(${['None', ...shape.map((d) => (d === null ? 'None' : String(d)))].join(', ')})`;
}

function megabytes(params: number): string {
  return formatBytes(params * 4);
}

/**
 * The totals as the framework's own summary prints them: torchinfo's three lines about
 * `parameters()` (frozen ones, `requires_grad` False, are its non-trainable) and the buffers
 * apart (PyTorch), or `model.summary()`'s (Keras). When a layer could not be analysed the counts
 * are lower bounds, and say so.
 */
function totalLines(count: FrameworkCount, complete: boolean): string[] {
  const n = (value: number) => (complete ? formatCount(value) : `at least ${formatCount(value)}`);
  const note = complete ? [] : ['Some layers could not be analysed: their weights are not counted.'];
  if (count.notation === 'keras')
    return [
      `Total params: ${n(count.total)} (${megabytes(count.total)} as float32)`,
      `Trainable params: ${n(count.trainable)}`,
      `Non-trainable params: ${n(count.nonTrainable)}`,
      ...note,
    ];
  return [
    `Total params: ${n(count.parameters)} (${megabytes(count.parameters)} as float32)`,
    `Trainable params: ${n(count.trainable)}`,
    `Non-trainable params: ${n(count.parameters - count.trainable)}`,
    `Buffers: ${n(count.buffers)} (batch-norm running_mean and running_var; num_batches_tracked not counted)`,
    ...note,
  ];
}

function wrap(text: string, width: number, indent: string): string {
  const words = text.split(' ');
  const lines: string[] = [];
  let current = '';
  for (const word of words) {
    if (current && current.length + word.length + 1 > width) {
      lines.push(current);
      current = indent + word;
    } else {
      current = current ? `${current} ${word}` : word;
    }
  }
  if (current) lines.push(current);
  return lines.join('\n');
}

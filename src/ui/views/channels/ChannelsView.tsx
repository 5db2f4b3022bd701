import { allLayers } from '../../../engine/analysis/inner';
import { useMemo, useState, type ReactElement } from 'react';
import { writeFilter, type Notation } from '../../../engine/notation';
import { countOf } from '../../../engine/text/plural';
import { selectAnalysis, selectNotation, selectSelectedLayer, useAppStore } from '../../../state/store';
import { exampleInput, exampleWeight, numberText } from '../../../viz/conv-frames';
import { Figure, LayerChoice } from '../figure/Figure';
import { volumeNote } from '../figure/volume-note';
import { useFigureKeys } from '../figure/figure-keys';
import { channelPlan, type ChannelPlan } from './plan';
import { stackHint } from './stack-hint';
import './channels.css';

const WIDTH = 940;
const ROW = 118;
const MAP = 60;
const SLICE_CELL = 9;
const MAX_DRAWN = 3;

const sizeText = (sizes: readonly (number | null)[]) => sizes.map((s) => s ?? '?').join('×');

/**
 * Channels, filters, kernel: every filter is a stack of one kernel slice per input channel it
 * reads; each slice filters its channel and the results are summed into one output channel.
 * ← → step through the filters.
 */
export function ChannelsView() {
  const analysis = useAppStore(selectAnalysis);
  const layer = useAppStore(selectSelectedLayer);
  const notation = useAppStore(selectNotation);
  const format = analysis.model.dataFormat;
  const plan = useMemo(() => (layer ? channelPlan(layer, format) : null), [layer, format]);
  const [chosen, setChosen] = useState<{ layer: string; filter: number } | null>(null);
  const filter = plan && layer && chosen?.layer === layer.name ? Math.min(chosen.filter, plan.filters - 1) : 0;
  const step = (delta: number) =>
    plan && layer && setChosen({ layer: layer.name, filter: Math.max(0, Math.min(plan.filters - 1, filter + delta)) });
  useFigureKeys(plan ? { step } : null);
  if (!layer || !plan) {
    return (
      <Figure title="Channels, filters, kernel" file="channels">
        <LayerChoice
          message={
            volumeNote(layer, format) ??
            `${layer ? `${layer.name} (${layer.type}) is not a convolution. ` : ''}Pick a convolution to see how its filters span the input channels:`
          }
          layers={allLayers(analysis)
            .filter((l) => channelPlan(l, format))
            .map((l) => l.name)}
        />
      </Figure>
    );
  }
  const hint = stackHint(analysis, layer, notation);
  const [from, to] = plan.reads(filter);
  const k = plan.kernel.join('×');
  const depth = to - from;
  const controls = (
    <>
      <button type="button" onClick={() => step(-1)} disabled={filter === 0}>
        <span aria-hidden="true">◀ </span>Previous filter
      </button>
      <button type="button" onClick={() => step(1)} disabled={filter >= plan.filters - 1}>
        Next filter<span aria-hidden="true"> ▶</span>
      </button>
      <output className="frame-status">
        Filter {filter + 1} of {plan.filters}: reads{' '}
        {depth === 1 ? `channel ${from + 1}` : `channels ${from + 1}–${to}`}
      </output>
    </>
  );
  return (
    <Figure
      title={`Channels, filters, kernel: ${layer.name}`}
      file={`${layer.name}-channels`}
      caption={
        <>
          {caption(layer.name, plan, k, notation)}
          {hint && (
            <span className="stack-hint">
              {' '}
              In code, <code>{hint.code}</code>
              {hint.text}
            </span>
          )}
        </>
      }
      controls={controls}
    >
      <ChannelsFigure plan={plan} filter={filter} notation={notation} />
    </Figure>
  );
}

/** The picture in words; each filter's shape written in the notation (in×kH×kW or kH×kW×in). */
function caption(name: string, plan: ChannelPlan, k: string, notation: Notation): string {
  const { channels: c, filters: f } = plan;
  const filters = countOf(f, 'filter');
  if (plan.depthwise)
    return `${name} is depthwise: ${filters} of ${k}, each reading ONE of the ${countOf(c, 'input channel')} (${f / c} per channel), so channels are never mixed. Output channels: ${f}.`;
  if (plan.groups > 1)
    return `${name} has ${plan.groups} groups: ${filters}, each ${writeFilter(plan.kernel, c / plan.groups, notation)} (${countOf(c / plan.groups, 'channel')} deep: its group's channels only). Each filter sums its slices into one of the ${countOf(f, 'output channel')}.`;
  return `${name}: ${filters}, each ${writeFilter(plan.kernel, c, notation)} (${countOf(c, 'channel')} deep and ${k}; ${filters} = ${countOf(f, 'output channel')}). Each filter slides over every input channel with its own ${k} slice and adds ${c === 1 ? 'the result' : `the ${countOf(c, 'result')}`}${plan.bias ? ' and a bias' : ''} into ONE output channel.`;
}

function ChannelsFigure({ plan, filter, notation }: { plan: ChannelPlan; filter: number; notation: Notation }) {
  const filters = around(filter, plan.filters);
  const [from, to] = plan.reads(filter);
  const channels = drawnChannels(plan, from, to);
  const height = 56 + filters.length * ROW + 84;
  const inY = (i: number) => 56 + ((i + 0.5) * (filters.length * ROW)) / channels.length - MAP / 2;
  const rowY = (r: number) => 56 + r * ROW + ROW / 2;
  const kernelCells = plan.kernel.map((n) => Math.min(n, 5));
  const sliceW = (kernelCells[1] ?? kernelCells[0] ?? 1) * SLICE_CELL;
  const sliceH = (plan.kernel.length === 2 ? (kernelCells[0] as number) : 1) * SLICE_CELL;
  const sliceX = (j: number) => 260 + j * (sliceW + 26);
  const sumX = 640;
  const outX = 720;
  const partials = channels.map((c) => partialSum(plan, filter, c));
  const lines: ReactElement[] = [];
  filters.forEach((f, r) => {
    const [a, b] = plan.reads(f);
    channels.forEach((c, i) => {
      if (c < a || c >= b) return;
      const j = c - a;
      if (j >= MAX_DRAWN) return;
      lines.push(
        <line
          key={`${f}-${c}`}
          className={f === filter ? 'link active' : 'link'}
          x1={20 + MAP}
          y1={inY(i) + MAP / 2}
          x2={sliceX(j)}
          y2={rowY(r)}
        />,
      );
    });
  });
  return (
    <svg
      className="figure channels-figure"
      viewBox={`0 0 ${WIDTH} ${height}`}
      role="img"
      aria-label={`Filter ${filter + 1} of ${plan.filters} reads ${countOf(to - from, 'input channel')} with one ${plan.kernel.join('×')} slice each and sums them into output channel ${filter + 1}.`}
      data-filters={plan.filters}
      data-channels={plan.channels}
      data-filter={filter + 1}
    >
      <text className="head" x={20} y={24}>
        Input: {countOf(plan.channels, 'channel')} of {sizeText(plan.inputSizes)}
      </text>
      <text className="head" x={260} y={24}>
        Filters: {plan.filters} × ({countOf(to - from, 'slice')} of {plan.kernel.join('×')})
      </text>
      <text className="head" x={outX} y={24}>
        Output: {countOf(plan.filters, 'channel')} of {sizeText(plan.outputSizes)}
      </text>
      <g className="links">{lines}</g>
      {channels.map((c, i) => (
        <g key={c} className={`in-map${c >= from && c < to ? ' read' : ''}`}>
          <Matrix x={20} y={inY(i)} size={MAP} />
          <text className="label" x={20} y={inY(i) + MAP + 14}>
            channel {c + 1}
          </text>
        </g>
      ))}
      {plan.channels > channels.length && (
        <text className="more" x={20} y={height - 58}>
          + {countOf(plan.channels - channels.length, 'more channel', 'more channels')}
        </text>
      )}
      {filters.map((f, r) => {
        const [a, b] = plan.reads(f);
        const shown = Math.min(b - a, MAX_DRAWN);
        const active = f === filter;
        return (
          <g key={f} className={`filter${active ? ' active' : ''}`} data-filter={f + 1}>
            <text className="label" x={260} y={rowY(r) - sliceH / 2 - 10}>
              filter {f + 1}: {writeFilter(plan.kernel, b - a, notation)}
            </text>
            {Array.from({ length: shown }, (_, j) => (
              <g key={j}>
                <Slice x={sliceX(j)} y={rowY(r) - sliceH / 2} cells={kernelCells} />
                <text className="slice-label" x={sliceX(j)} y={rowY(r) + sliceH / 2 + 12}>
                  ch {a + j + 1}
                </text>
              </g>
            ))}
            {b - a > shown && (
              <text className="more" x={sliceX(shown)} y={rowY(r) - 6}>
                … {b - a - shown} more
              </text>
            )}
            <line className="to-sum" x1={sliceX(shown - 1) + sliceW} y1={rowY(r)} x2={sumX - 14} y2={rowY(r)} />
            <circle className="sum" cx={sumX} cy={rowY(r)} r={14} />
            <text className="sum-sign" x={sumX} y={rowY(r)}>
              Σ
            </text>
            <line className="to-out" x1={sumX + 14} y1={rowY(r)} x2={outX} y2={rowY(r)} />
            <Matrix x={outX} y={rowY(r) - MAP / 2} size={MAP} />
            <text className="label" x={outX + MAP + 10} y={rowY(r) + 4}>
              output channel {f + 1}
            </text>
          </g>
        );
      })}
      <text className="worked" x={20} y={height - 34}>
        Filter {filter + 1} at one position (example numbers):{' '}
        {partials.map((p, i) => `channel ${(channels[i] as number) + 1} gives ${numberText(p)}`).join(', ')}
        {to - from > partials.length ? `, … (${countOf(to - from, 'channel')})` : ''}
      </text>
      <text className="worked" x={20} y={height - 14}>
        Their sum{plan.bias ? ' plus the bias' : ''} is ONE number of output channel {filter + 1}; sliding the filter
        fills that channel.
      </text>
    </svg>
  );
}

function Matrix({ x, y, size }: { x: number; y: number; size: number }) {
  const n = 4;
  const cell = size / n;
  return (
    <g className="matrix">
      {Array.from({ length: n * n }, (_, i) => (
        <rect key={i} x={x + (i % n) * cell} y={y + Math.floor(i / n) * cell} width={cell} height={cell} />
      ))}
    </g>
  );
}

function Slice({ x, y, cells }: { x: number; y: number; cells: readonly number[] }) {
  const [rows, cols] = cells.length === 2 ? cells : [1, cells[0] ?? 1];
  return (
    <g className="slice">
      {Array.from({ length: (rows as number) * (cols as number) }, (_, i) => (
        <rect
          key={i}
          x={x + (i % (cols as number)) * SLICE_CELL}
          y={y + Math.floor(i / (cols as number)) * SLICE_CELL}
          width={SLICE_CELL}
          height={SLICE_CELL}
        />
      ))}
    </g>
  );
}

/** Up to three filters around the chosen one. */
function around(filter: number, count: number): number[] {
  const first = Math.max(0, Math.min(filter - 1, count - MAX_DRAWN));
  return Array.from({ length: Math.min(MAX_DRAWN, count) }, (_, i) => first + i);
}

/** The input channels drawn: those the chosen filter reads (up to three), padded with their neighbours. */
function drawnChannels(plan: ChannelPlan, from: number, to: number): number[] {
  const first = Math.max(0, Math.min(from, plan.channels - Math.min(plan.channels, MAX_DRAWN + 1)));
  const count = plan.channels <= MAX_DRAWN + 1 ? plan.channels : Math.max(MAX_DRAWN, Math.min(to - from, MAX_DRAWN));
  return Array.from({ length: count }, (_, i) => first + i);
}

/** One channel's share of a filter's sum at the first output position, with the example numbers. */
function partialSum(plan: ChannelPlan, filter: number, channel: number): number {
  const [k0 = 1, k1 = 1] = plan.kernel.length === 2 ? plan.kernel : [plan.kernel[0], 1];
  let sum = 0;
  for (let a = 0; a < k0; a++)
    for (let b = 0; b < k1; b++) sum += exampleWeight(channel + filter, [a, b]) * exampleInput(channel, [a, b]);
  return sum;
}

import { memo, useId, type ReactNode } from 'react';
import { exampleWeight, numberText } from '../../../viz/conv-frames';
import type { WindowModel } from './model';
import { cropAround, inCrop, MAX_CELLS_1D, MAX_CELLS_2D, type Crop } from './window-crop';

const CELL = 28;
const SHEET = 8;
const MAX_SHEETS = 4;

interface ConvFigureProps {
  readonly model: WindowModel;
  readonly frame: number;
  readonly label: string;
}

/**
 * One frame of the sliding window: the padded input (all channels, as a stack the kernel spans),
 * the kernel's taps with their weights and dilation gaps, the output filled up to this frame
 * and the current cell's sum written out. Big grids show a window of cells around the kernel.
 */
export function ConvFigure({ model, frame, label }: ConvFigureProps) {
  const id = useId().replace(/:/g, '');
  const { slide } = model;
  const taps = slide.taps(frame);
  const current = slide.output(frame);
  const oneD = slide.paddedSizes.length === 1;
  const max = oneD ? MAX_CELLS_1D : MAX_CELLS_2D;
  const crops = taps.map((t, i) =>
    cropAround(slide.paddedSizes[i] as number, t[0] as number, t[t.length - 1] as number, max),
  );
  const outCrops = current.map((o, i) => cropAround(slide.outputSizes[i] as number, o, o, max));
  const drawing = oneD
    ? oneDimensional(model, frame, crops[0] as Crop, outCrops[0] as Crop, id)
    : twoDimensional(model, frame, crops as [Crop, Crop], outCrops as [Crop, Crop], id);
  const { value, terms, rest } = model.compute(frame);
  const lines = equationLines(model, current, terms, rest, value);
  const height = drawing.height + 24 + lines.length * 20;
  return (
    <svg
      className="figure conv-figure"
      viewBox={`0 0 ${Math.max(drawing.width, 520)} ${height}`}
      role="img"
      aria-label={`${label}. ${lines.join(' ')}`}
      data-output-cells={slide.frames}
      data-output-shape={slide.outputSizes.join('×')}
      data-input-shape={slide.inputSizes.join('×')}
      data-input-channels={model.channels}
      data-frame={frame}
      data-computed={frame + 1}
    >
      <defs>
        <pattern id={`hatch-${id}`} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <line x1="0" y1="0" x2="0" y2="6" className="hatch" />
        </pattern>
      </defs>
      {drawing.body}
      <g className="equation" transform={`translate(12, ${drawing.height + 20})`}>
        {lines.map((line, i) => (
          <text key={i} y={i * 20}>
            {line}
          </text>
        ))}
      </g>
    </svg>
  );
}

interface Drawing {
  readonly body: ReactNode;
  readonly width: number;
  readonly height: number;
}

function cellText(model: WindowModel, value: number | null): string {
  return value === null ? model.padding : numberText(value);
}

const range = (crop: Crop) => Array.from({ length: crop.count }, (_, i) => crop.from + i);

function twoDimensional(
  model: WindowModel,
  frame: number,
  [rows, cols]: readonly [Crop, Crop],
  [outRows, outCols]: readonly [Crop, Crop],
  id: string,
): Drawing {
  const { slide } = model;
  const sheets = Math.min(model.channels, MAX_SHEETS);
  const lift = (sheets - 1) * SHEET;
  const x0 = 34;
  const y0 = 40 + lift;
  const taps = slide.taps(frame);
  const tapRows = (taps[0] as number[]).filter((r) => inCrop(rows, r));
  const tapCols = (taps[1] as number[]).filter((c) => inCrop(cols, c));
  const at = (r: number, c: number) => ({ x: x0 + (c - cols.from) * CELL, y: y0 + (r - rows.from) * CELL });
  const inputWidth = cols.count * CELL;
  const ox = x0 + inputWidth + lift + 90;
  const oy = y0;
  const [orow, ocol] = slide.output(frame) as [number, number];
  const outAt = (r: number, c: number) => ({ x: ox + (c - outCols.from) * CELL, y: oy + (r - outRows.from) * CELL });
  const kernelBox = tapRows.length && tapCols.length ? box(at, tapRows, tapCols) : null;
  const spans = model.kind === 'conv' || model.kind === 'transposed';
  const back = Array.from({ length: sheets - 1 }, (_, i) => sheets - 1 - i);
  const body = (
    <>
      <text className="panel-label" x={x0} y={16}>
        {inputLabel(model)}
      </text>
      {back.map((s) => (
        <g key={s} className="sheet back" transform={`translate(${s * SHEET}, ${-s * SHEET})`}>
          <rect x={x0} y={y0} width={inputWidth} height={rows.count * CELL} />
          {spans && kernelBox && <rect className="kernel-extent" {...kernelBox} />}
        </g>
      ))}
      <g className="sheet front">
        <rect className="sheet-base" x={x0} y={y0} width={inputWidth} height={rows.count * CELL} />
        <InputCells
          model={model}
          rowFrom={rows.from}
          rowCount={rows.count}
          colFrom={cols.from}
          colCount={cols.count}
          x0={x0}
          y0={y0}
          hatch={`url(#hatch-${id})`}
        />
        {tapRows.map((r) =>
          tapCols.map((c) => {
            const { x, y } = at(r, c);
            const t = [(taps[0] as number[]).indexOf(r), (taps[1] as number[]).indexOf(c)];
            return (
              <g key={`tap${r},${c}`} className="tap">
                <rect x={x + 1} y={y + 1} width={CELL - 2} height={CELL - 2} />
                {(model.kind === 'conv' || model.kind === 'transposed' || model.kind === 'depthwise') && (
                  <text className="weight" x={x + 3} y={y + 8}>
                    {numberText(exampleWeight(0, t))}
                  </text>
                )}
              </g>
            );
          }),
        )}
        {kernelBox && <rect className="kernel-extent" {...kernelBox} />}
      </g>
      {axisLabels(rows, cols, slide.before, model.inserted, x0, y0)}
      <text className="panel-label" x={ox} y={16}>
        {outputLabel(model)}
      </text>
      {range(outRows).map((r) =>
        range(outCols).map((c) => {
          const { x, y } = outAt(r, c);
          const n = r * (slide.outputSizes[1] as number) + c;
          const done = n <= frame;
          const now = r === orow && c === ocol;
          return (
            <g key={`o${r},${c}`}>
              <rect
                className={`cell out${done ? ' done' : ''}${now ? ' current' : ''}`}
                x={x}
                y={y}
                width={CELL}
                height={CELL}
              />
              {done && <OutputValue x={x} y={y} value={model.result(n)} />}
            </g>
          );
        }),
      )}
      {kernelBox && connectors(kernelBox, outAt(orow, ocol))}
    </>
  );
  const width = ox + outCols.count * CELL + 20;
  const height = y0 + Math.max(rows.count, outRows.count) * CELL + cropNoteHeight(rows, cols);
  return {
    body: (
      <>
        {body}
        {cropNote([rows, cols], [outRows, outCols], x0, height - 6)}
      </>
    ),
    width,
    height,
  };
}

/** An output cell's value; long ones (averages like −0.17) in smaller type to fit the cell. */
function OutputValue({ x, y, value }: { x: number; y: number; value: number }) {
  const text = numberText(value);
  return (
    <text className={text.length > 3 ? 'value small' : 'value'} x={x + CELL / 2} y={y + CELL / 2}>
      {text}
    </text>
  );
}

interface InputCellsProps {
  readonly model: WindowModel;
  readonly rowFrom: number;
  readonly rowCount: number;
  readonly colFrom: number;
  readonly colCount: number;
  readonly x0: number;
  readonly y0: number;
  readonly hatch: string;
}

/** The input's cells on screen: they change only when the window moves, not every frame. */
const InputCells = memo(function InputCells({
  model,
  rowFrom,
  rowCount,
  colFrom,
  colCount,
  x0,
  y0,
  hatch,
}: InputCellsProps) {
  const cells: ReactNode[] = [];
  for (let r = rowFrom; r < rowFrom + rowCount; r++) {
    for (let c = colFrom; c < colFrom + colCount; c++) {
      const v = model.value(0, [r, c]);
      const x = x0 + (c - colFrom) * CELL;
      const y = y0 + (r - rowFrom) * CELL;
      cells.push(
        <g key={`${r},${c}`}>
          <rect
            className={v === null ? 'cell pad' : 'cell'}
            x={x}
            y={y}
            width={CELL}
            height={CELL}
            style={v === null ? { fill: hatch } : undefined}
          />
          <text className="value" x={x + CELL / 2} y={y + CELL / 2}>
            {cellText(model, v)}
          </text>
        </g>,
      );
    }
  }
  return <>{cells}</>;
});

function box(at: (r: number, c: number) => { x: number; y: number }, rows: number[], cols: number[]) {
  const a = at(rows[0] as number, cols[0] as number);
  const b = at(rows[rows.length - 1] as number, cols[cols.length - 1] as number);
  return { x: a.x, y: a.y, width: b.x - a.x + CELL, height: b.y - a.y + CELL };
}

function connectors(from: { x: number; y: number; width: number; height: number }, to: { x: number; y: number }) {
  return (
    <g className="connector">
      <line x1={from.x + from.width} y1={from.y} x2={to.x} y2={to.y} />
      <line x1={from.x + from.width} y1={from.y + from.height} x2={to.x} y2={to.y + CELL} />
    </g>
  );
}

/** Real input indices above and beside the grid; padding and inserted zeros get none. */
function axisLabels(
  rows: Crop,
  cols: Crop,
  before: readonly number[],
  inserted: readonly number[],
  x0: number,
  y0: number,
) {
  const real = (p: number, axis: number) => {
    const r = p - (before[axis] as number);
    const s = inserted[axis] as number;
    return r >= 0 && r % s === 0 ? String(r / s) : '';
  };
  return (
    <g className="axis-labels">
      {range(cols).map((c) => (
        <text key={`c${c}`} x={x0 + (c - cols.from) * CELL + CELL / 2} y={y0 - 6}>
          {real(c, 1)}
        </text>
      ))}
      {range(rows).map((r) => (
        <text key={`r${r}`} x={x0 - 14} y={y0 + (r - rows.from) * CELL + CELL / 2}>
          {real(r, 0)}
        </text>
      ))}
    </g>
  );
}

function cropNoteHeight(...crops: Crop[]): number {
  return crops.some((c) => c.count < c.size) ? 26 : 8;
}

function cropNote(input: readonly Crop[], output: readonly Crop[], x: number, y: number) {
  const cropped = [...input, ...output].some((c) => c.count < c.size);
  if (!cropped) return null;
  const text = (crops: readonly Crop[]) =>
    crops.map((c) => `${c.from}–${c.from + c.count - 1} of ${c.size}`).join(' × ');
  return (
    <text className="crop-note" x={x} y={y}>
      Showing cells {text(input)} of the padded input and {text(output)} of the output; the window follows the kernel.
    </text>
  );
}

function inputLabel(model: WindowModel): string {
  const c = model.channels;
  if (model.kind === 'conv' || model.kind === 'transposed')
    return `Input: ${c} channel${c === 1 ? '' : 's'}${c > 1 ? `, the kernel spans all ${c}` : ''}`;
  return `Input: ${c} channel${c === 1 ? '' : 's'}, each on its own (channel 1 drawn)`;
}

function outputLabel(model: WindowModel): string {
  return model.kind === 'conv' || model.kind === 'transposed' ? 'Output channel 1 (filter 1)' : 'Output channel 1';
}

function oneDimensional(model: WindowModel, frame: number, cols: Crop, ownCrop: Crop, id: string): Drawing {
  const { slide } = model;
  const rowsDrawn = Math.min(model.channels, MAX_SHEETS);
  const x0 = 64;
  const y0 = 44;
  const allTaps = slide.taps(frame)[0] as number[];
  const taps = allTaps.filter((c) => inCrop(cols, c));
  const spans = model.kind === 'conv' || model.kind === 'transposed';
  const xAt = (c: number) => x0 + (c - cols.from) * CELL;
  const inputBottom = y0 + rowsDrawn * CELL;
  const oy = inputBottom + 70;
  const [o] = slide.output(frame) as [number];
  // A stride-1 layer that keeps the length ('same', causal) draws output t under input t.
  const before = slide.before[0] as number;
  const stride = slide.frames > 1 ? (slide.taps(1)[0]?.[0] ?? 1) - (slide.taps(0)[0]?.[0] ?? 0) : 1;
  const aligned = model.inserted[0] === 1 && stride === 1 && slide.outputSizes[0] === slide.inputSizes[0];
  const outCols = aligned ? alignedCrop(cols, before, slide.outputSizes[0] as number) : ownCrop;
  const oxAt = (c: number) => (aligned ? xAt(c + before) : x0 + (c - outCols.from) * CELL);
  const body = (
    <>
      <text className="panel-label" x={12} y={16}>
        {inputLabel(model)}
        {model.channels > rowsDrawn ? ` (${rowsDrawn} drawn)` : ''}
      </text>
      {Array.from({ length: rowsDrawn }, (_, ch) => (
        <g key={ch} className="sheet front">
          <text className="row-label" x={x0 - 8} y={y0 + ch * CELL + CELL / 2}>
            ch {ch + 1}
          </text>
          {range(cols).map((c) => {
            const v = model.value(ch, [c]);
            return (
              <g key={c}>
                <rect
                  className={v === null ? 'cell pad' : 'cell'}
                  x={xAt(c)}
                  y={y0 + ch * CELL}
                  width={CELL}
                  height={CELL}
                  style={v === null ? { fill: `url(#hatch-${id})` } : undefined}
                />
                <text className="value" x={xAt(c) + CELL / 2} y={y0 + ch * CELL + CELL / 2}>
                  {cellText(model, v)}
                </text>
              </g>
            );
          })}
          {(spans || ch === 0) &&
            taps.map((c) => (
              <g key={`t${c}`} className="tap">
                <rect x={xAt(c) + 1} y={y0 + ch * CELL + 1} width={CELL - 2} height={CELL - 2} />
                {model.kind !== 'max' && model.kind !== 'average' && (
                  <text className="weight" x={xAt(c) + 3} y={y0 + ch * CELL + 8}>
                    {numberText(exampleWeight(ch, [allTaps.indexOf(c)]))}
                  </text>
                )}
              </g>
            ))}
        </g>
      ))}
      {axisLabels({ from: 0, count: 0, size: 0 }, cols, [0, before], [1, model.inserted[0] as number], x0, y0)}
      <text className="panel-label" x={12} y={oy - 12}>
        {outputLabel(model)}
      </text>
      {range(outCols).map((c) => (
        <g key={`o${c}`}>
          <rect
            className={`cell out${c <= frame ? ' done' : ''}${c === o ? ' current' : ''}`}
            x={oxAt(c)}
            y={oy}
            width={CELL}
            height={CELL}
          />
          {c <= frame && <OutputValue x={oxAt(c)} y={oy} value={model.result(c)} />}
          <text className="axis-index" x={oxAt(c) + CELL / 2} y={oy + CELL + 12}>
            {c}
          </text>
        </g>
      ))}
      <g className="connector">
        {inCrop(outCols, o) &&
          taps.map((c) => <line key={c} x1={xAt(c) + CELL / 2} y1={inputBottom} x2={oxAt(o) + CELL / 2} y2={oy} />)}
      </g>
    </>
  );
  const width = x0 + Math.max(cols.count, aligned ? cols.count : outCols.count) * CELL + 20;
  const height = oy + CELL + 20 + cropNoteHeight(cols, outCols);
  return {
    body: (
      <>
        {body}
        {cropNote([cols], [outCols], 12, height - 6)}
      </>
    ),
    width,
    height,
  };
}

/** The output positions that sit under the input cells on screen, when output t is drawn under input t. */
function alignedCrop(cols: Crop, before: number, size: number): Crop {
  const from = Math.max(0, cols.from - before);
  const to = Math.min(size, cols.from + cols.count - before);
  return { from, count: Math.max(0, to - from), size };
}

/** The current cell's sum with the example's numbers, in lines short enough to read. */
function equationLines(
  model: WindowModel,
  position: readonly number[],
  terms: readonly string[],
  rest: number | null,
  value: number,
): string[] {
  const at = `y[${position.join(', ')}]`;
  const perLine = 8;
  const chunks: string[] = [];
  for (let i = 0; i < terms.length; i += perLine) chunks.push(terms.slice(i, i + perLine).join(' + '));
  if (model.kind === 'max')
    return [`${at} = max(${terms.join(', ') || 'nothing: all padding'}) = ${numberText(value)}`];
  if (model.kind === 'average')
    return [`${at} = average(${terms.join(', ')}) = ${numberText(value)}`, ...(terms.length ? [] : ['(all padding)'])];
  const lines = chunks.map((c, i) => (i === 0 ? `${at} = ${c}` : `   + ${c}`));
  if (model.kind === 'depthwise')
    lines.push(`   = ${numberText(value)}   (channel 1 only: depthwise filters see one channel)`);
  else if (rest !== null)
    lines.push(
      `   + ${numberText(rest, true)}   (the same sum over ${model.channels === 2 ? 'channel 2' : `channels 2–${Math.min(model.channels, 64)}`}${model.channels > 64 ? ', first 64 shown' : ''})   = ${numberText(value)}`,
    );
  else lines.push(`   = ${numberText(value)}`);
  return lines;
}

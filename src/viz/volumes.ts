import { select } from 'd3';
import type { Volume } from './volume-data';
import { serializeSvg } from './export-image';

export interface VolumeOptions {
  readonly onSelect: (name: string) => void;
}

export interface VolumeData {
  readonly volumes: readonly Volume[];
  readonly selected: string | null;
}

export interface VolumeView {
  update(data: VolumeData): void;
  /** The current drawing as a standalone SVG document (styles inlined). */
  toSvg(): string;
  destroy(): void;
}

/** Above this many volumes the drawing is summarised: every box one size, labels kept. */
export const MAX_DETAILED = 80;

const GAP = 34;
const TOP = 24;
const LABEL = 44;
/** The height of one kernel label's line. */
const KERNEL_LINE = 14;
/** Oblique projection of the channel axis: right and up. */
const SLANT = { x: 0.55, y: -0.45 };

/**
 * The tensor-volume diagram: each activation a box whose height and width follow the map's
 * height and width and whose depth follows its channels (log scales, so 224 and 7 both fit), with
 * each convolution's kernel drawn inside the volume it reads. Clicking a box selects its layer.
 */
export function createVolumes(container: HTMLElement, options: VolumeOptions): VolumeView {
  const svg = select(container)
    .append('svg')
    .attr('class', 'volumes')
    .attr('role', 'img')
    .attr('xmlns', 'http://www.w3.org/2000/svg');
  const title = svg.append('title');
  const root = svg.append('g');
  // One listener for every box: a model can have thousands.
  svg.on('click', (event: MouseEvent) => {
    const box = (event.target as Element).closest<SVGGElement>('g.volume');
    const name = box && (select(box).datum() as { v: Volume }).v.name;
    if (name) options.onSelect(name);
  });
  let drawn: { volumes: readonly Volume[]; byName: Map<string, SVGGElement> } | null = null;
  let shown: string | null = null;
  /** A new selection restyles two boxes; the drawing is redone only for new volumes. */
  const highlight = (selected: string | null) => {
    if (drawn && shown !== null) drawn.byName.get(shown)?.classList.remove('selected');
    if (drawn && selected !== null) drawn.byName.get(selected)?.classList.add('selected');
    shown = selected;
  };
  return {
    update({ volumes, selected }) {
      // An edit that leaves every shape as it was (a kernel size under 'same' padding) redraws nothing.
      if (drawn && sameVolumes(drawn.volumes, volumes)) drawn = { ...drawn, volumes };
      else if (drawn?.volumes !== volumes) drawn = { volumes, byName: draw(volumes) };
      highlight(selected);
    },
    toSvg() {
      return serializeSvg(svg.node()!);
    },
    destroy() {
      svg.remove();
    },
  };

  /** Lays out and draws the boxes; returns each box's element by layer name. */
  function draw(volumes: readonly Volume[]): Map<string, SVGGElement> {
    const detailed = volumes.length <= MAX_DETAILED;
    const side = logScale([1, 256], [10, 150]);
    const depth = logScale([1, 2048], [3, 70]);
    let x = 16;
    const laid = volumes.map((v, i) => {
      const h = detailed ? side(Math.max(v.height, 1)) : 40;
      const w = detailed ? side(Math.max(v.width, 1)) * 0.45 + 4 : 16;
      const d = detailed ? depth(Math.max(v.channels, 1)) : 16;
      const box = { v, x, h, w, d };
      // Room for this box's labels and for the next layer's kernel label, drawn above this box.
      const next = detailed ? (volumes[i + 1]?.kernel?.label.length ?? 0) * 6.4 + w * 0.35 : 0;
      // The wider of its two labels (shape and layer name) sets the room a box takes.
      const label = Math.max(v.label.length * 6.6, v.name.length * 7);
      x += w + d * SLANT.x + Math.max(GAP, label - w - d * SLANT.x + 10, next - w - d * SLANT.x + 10);
      return box;
    });
    // Kernels read from one volume (a block's branch and its shortcut) have their labels stacked.
    const rank = new Map<string, number>();
    const readers = new Map<string, number>();
    for (const v of volumes) {
      if (!v.kernel || v.source === null) continue;
      const n = readers.get(v.source) ?? 0;
      rank.set(v.name, n);
      readers.set(v.source, n + 1);
    }
    const top = TOP + Math.max(0, ...readers.values(), 1) * KERNEL_LINE - KERNEL_LINE;
    const height = Math.max(80, ...laid.map((b) => b.h - b.d * SLANT.y)) + top + LABEL;
    const base = height - LABEL;
    svg
      .attr('width', x + 16)
      .attr('height', height)
      .attr('viewBox', `0 0 ${x + 16} ${height}`);
    title.text(`Tensor volumes: ${volumes.map((v) => `${v.name} ${v.label}`).join(', ')}`);
    const groups = root
      .selectAll<SVGGElement, (typeof laid)[number]>('g.volume')
      .data(laid, (b) => b.v.name)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'volume');
        g.append('path').attr('class', 'side');
        g.append('path').attr('class', 'top');
        g.append('rect').attr('class', 'front');
        g.append('path').attr('class', 'kernel');
        g.append('text').attr('class', 'shape');
        g.append('text').attr('class', 'name');
        g.append('text').attr('class', 'kernel-label');
        return g;
      })
      .attr('data-layer', (b) => b.v.name)
      .classed('selected', false);
    shown = null;
    const boxOf = new Map(laid.map((b) => [b.v.name, b]));
    groups.each(function (b) {
      const g = select(this);
      const previous = b.v.source === null ? undefined : boxOf.get(b.v.source);
      // Redraw a box only when it, its kernel or the box it reads has changed.
      const signature = [
        b.x,
        b.h,
        b.w,
        b.d,
        base,
        b.v.label,
        b.v.name,
        b.v.kernel?.label,
        previous?.x,
        previous?.h,
        previous?.w,
        previous?.d,
        detailed,
        rank.get(b.v.name),
      ].join();
      const node = this as SVGGElement & { signature?: string };
      if (node.signature === signature) return;
      node.signature = signature;
      const y = base - b.h;
      const dx = b.d * SLANT.x;
      const dy = b.d * SLANT.y;
      g.select('rect.front').attr('x', b.x).attr('y', y).attr('width', b.w).attr('height', b.h);
      g.select('path.top').attr('d', `M${b.x},${y} l${dx},${dy} h${b.w} l${-dx},${-dy} z`);
      g.select('path.side').attr('d', `M${b.x + b.w},${y} l${dx},${dy} v${b.h} l${-dx},${-dy} z`);
      g.select('text.shape')
        .attr('x', b.x)
        .attr('y', base + 16)
        .text(b.v.label);
      g.select('text.name')
        .attr('x', b.x)
        .attr('y', base + 31)
        .text(b.v.name);
      const kernel = b.v.kernel;
      if (kernel && previous && detailed) {
        const kh = Math.max(4, (previous.h * Math.min(kernel.kh, previous.v.height)) / Math.max(previous.v.height, 1));
        const kw = Math.max(3, (previous.w * Math.min(kernel.kw, previous.v.width)) / Math.max(previous.v.width, 1));
        const kd =
          Math.max(2, (previous.d * Math.min(kernel.depth, previous.v.channels)) / Math.max(previous.v.channels, 1)) *
          SLANT.x;
        const kx = previous.x + previous.w * 0.35;
        const ky = base - previous.h * 0.55;
        g.select('path.kernel').attr(
          'd',
          `M${kx},${ky} h${kw} v${kh} h${-kw} z M${kx},${ky} l${kd},${-kd} h${kw} l${-kd},${kd} M${kx + kw},${ky} l${kd},${-kd} v${kh} l${-kd},${kd} M${kx + kw},${ky + kh / 2} L${b.x},${base - b.h / 2}`,
        );
        g.select('text.kernel-label')
          .attr('x', kx)
          .attr('y', top - 6 - (rank.get(b.v.name) ?? 0) * KERNEL_LINE + Math.max(0, ky - previous.h - 40))
          .text(kernel.label);
      } else {
        g.select('path.kernel').attr('d', null);
        g.select('text.kernel-label').text('');
      }
    });
    return new Map(groups.nodes().map((node) => [(select(node).datum() as { v: Volume }).v.name, node]));
  }
}

/** Whether two lists of volumes draw the same picture. */
function sameVolumes(a: readonly Volume[], b: readonly Volume[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  return a.every((v, i) => {
    const w = b[i]!;
    return (
      v.name === w.name &&
      v.type === w.type &&
      v.height === w.height &&
      v.width === w.width &&
      v.channels === w.channels &&
      v.label === w.label &&
      v.source === w.source &&
      v.kernel?.label === w.kernel?.label &&
      v.kernel?.kh === w.kernel?.kh &&
      v.kernel?.kw === w.kernel?.kw &&
      v.kernel?.depth === w.kernel?.depth &&
      v.kernel?.count === w.kernel?.count
    );
  });
}

/**
 * d3's `scaleLog().domain(domain).range(range).clamp(true)`, the same arithmetic (clamp into the
 * domain, natural log, normalise, interpolate), without d3-scale's ticks and formats, which would
 * bring d3-format, d3-interpolate and d3-color into the page's first load.
 */
export function logScale([d0, d1]: readonly [number, number], [r0, r1]: readonly [number, number]) {
  const from = Math.log(d0);
  const span = Math.log(d1) - from;
  return (x: number): number => {
    const t = (Math.log(Math.max(d0, Math.min(d1, x))) - from) / span;
    return r0 * (1 - t) + r1 * t;
  };
}

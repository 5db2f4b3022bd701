import { select } from 'd3';

/** One row of the picture: a layer's first channels (or the input image). */
export interface MapRow {
  readonly id: string;
  readonly label: string;
  /** "32×28×28", in the notation on screen. */
  readonly shape: string;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  /** The channels drawn, each height × width, row-major; shown grey, each scaled to its own range. */
  readonly maps: readonly Float32Array[];
  /** For the input row: the picture itself, RGBA (drawn instead of `maps`). */
  readonly rgba?: Uint8ClampedArray;
}

export interface FeatureMapsData {
  readonly rows: readonly MapRow[];
  readonly selected: string | null;
}

export interface FeatureMapsOptions {
  readonly onSelect: (id: string) => void;
}

const LABEL = 190;
const CELL = 52;
const GAP = 6;
const ROW = CELL + 22;
const MORE = 70;

/**
 * Feature maps as CNN Explainer draws them: one row per layer, its first channels as small grey
 * pictures (each stretched to its own min–max, black low, white high), "+k more" for the rest;
 * the selected layer's row is outlined, and clicking a row selects its layer. Maps are drawn to
 * canvases and placed as SVG images, so "Export SVG" keeps them.
 */
export function createFeatureMaps(container: HTMLElement, options: FeatureMapsOptions) {
  const svg = select(container)
    .append('svg')
    .attr('class', 'figure feature-maps-figure')
    .attr('role', 'img')
    .attr('xmlns', 'http://www.w3.org/2000/svg');
  const urls = new WeakMap<Float32Array | Uint8ClampedArray, string>();
  const urlOf = (key: Float32Array | Uint8ClampedArray, draw: () => string) => {
    let url = urls.get(key);
    if (!url) {
      url = draw();
      urls.set(key, url);
    }
    return url;
  };

  function update({ rows, selected }: FeatureMapsData) {
    const most = Math.max(1, ...rows.map((r) => (r.rgba ? 1 : r.maps.length)));
    const width = LABEL + most * (CELL + GAP) + MORE;
    svg
      .attr('viewBox', `0 0 ${width} ${rows.length * ROW + 8}`)
      .attr('width', width)
      .attr('aria-label', `Feature maps of ${rows.length - 1} layers for one image`);
    const row = svg
      .selectAll<SVGGElement, MapRow>('g.map-row')
      .data(rows, (r) => r.id)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'map-row');
        g.append('rect').attr('class', 'row-back');
        g.append('text').attr('class', 'row-name').attr('x', 6).attr('y', 20);
        g.append('text').attr('class', 'row-shape muted').attr('x', 6).attr('y', 38);
        g.append('text').attr('class', 'row-more muted');
        g.on('click', (_, r) => options.onSelect(r.id));
        return g;
      })
      .attr('transform', (_, i) => `translate(0, ${i * ROW + 4})`)
      .attr('data-layer', (r) => r.id)
      .attr('data-channels', (r) => r.channels)
      .attr('data-shown', (r) => (r.rgba ? 1 : r.maps.length))
      .classed('selected', (r) => r.id === selected);
    row
      .select('rect.row-back')
      .attr('width', width)
      .attr('height', ROW - 4);
    row.select('text.row-name').text((r) => r.label);
    row.select('text.row-shape').text((r) => r.shape);
    row
      .select('text.row-more')
      .attr('x', (r) => LABEL + r.maps.length * (CELL + GAP) + 4)
      .attr('y', ROW / 2)
      .text((r) => (!r.rgba && r.channels > r.maps.length ? `+${r.channels - r.maps.length} more` : ''));
    row
      .selectAll<SVGImageElement, Pic>('image')
      .data((r) => picturesOf(r))
      .join('image')
      .attr('x', (_, i) => LABEL + i * (CELL + GAP))
      .attr('y', (p) => (CELL - p.h) / 2 + 6)
      .attr('width', (p) => p.w)
      .attr('height', (p) => p.h)
      .attr('preserveAspectRatio', 'none')
      .attr('style', 'image-rendering: pixelated')
      .attr('data-channel', (p) => p.channel)
      .attr('href', (p) => urlOf(p.key, p.draw));
  }

  return {
    update,
    destroy() {
      svg.remove();
    },
  };
}

interface Pic {
  readonly key: Float32Array | Uint8ClampedArray;
  readonly channel: number;
  readonly w: number;
  readonly h: number;
  draw(): string;
}

/** The row's pictures, sized to fit a CELL square with their aspect kept (a vector is a strip). */
function picturesOf(r: MapRow): Pic[] {
  const scale = CELL / Math.max(r.width, r.height);
  const w = Math.max(1, r.width * scale);
  const h = Math.max(r.height === 1 ? 10 : 1, r.height * scale);
  const rgba = r.rgba;
  if (rgba) return [{ key: rgba, channel: 0, w, h, draw: () => dataUrl(r.width, r.height, rgba) }];
  return r.maps.map((m, channel) => ({
    key: m,
    channel: channel + 1,
    w,
    h,
    draw: () => dataUrl(r.width, r.height, greys(m)),
  }));
}

/** A map's values as grey levels, stretched from its minimum (black) to its maximum (white). */
export function greys(values: Float32Array): Uint8ClampedArray {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo || 1;
  const out = new Uint8ClampedArray(values.length * 4);
  values.forEach((v, i) => {
    const g = hi === lo ? 128 : Math.round(((v - lo) / span) * 255);
    out.set([g, g, g, 255], i * 4);
  });
  return out;
}

function dataUrl(width: number, height: number, rgba: Uint8ClampedArray): string {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) return '';
  context.putImageData(new ImageData(new Uint8ClampedArray(rgba), width, height), 0, 0);
  return canvas.toDataURL('image/png');
}

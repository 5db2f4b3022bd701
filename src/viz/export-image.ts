/** Saves text or a blob as a download named `filename`. */
export function download(filename: string, content: Blob | string, type = 'application/octet-stream'): void {
  const blob = typeof content === 'string' ? new Blob([content], { type }) : content;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Renders an SVG document to a PNG at `scale` times its size (2 for sharp slides). */
export async function svgToPng(svg: string, scale = 2): Promise<Blob> {
  const image = new Image();
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('The drawing could not be rendered as an image.'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(image.width * scale);
    canvas.height = Math.ceil(image.height * scale);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('This browser cannot draw images.');
    context.scale(scale, scale);
    context.drawImage(image, 0, 0);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG export failed.'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * A standalone SVG document of a drawing on the page: computed colours and fonts copied onto
 * each element (the page's CSS variables do not travel), and canvases placed in the drawing
 * (inside `foreignObject`) replaced by PNG images.
 */
export function serializeSvg(svg: SVGSVGElement): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  inlineStyles(svg, clone);
  const sources = Array.from(svg.querySelectorAll('foreignObject'));
  Array.from(clone.querySelectorAll('foreignObject')).forEach((copy, i) => {
    const canvas = sources[i]?.querySelector('canvas');
    const image = document.createElementNS('http://www.w3.org/2000/svg', 'image');
    for (const name of ['x', 'y', 'width', 'height']) image.setAttribute(name, copy.getAttribute(name) ?? '0');
    if (canvas) image.setAttribute('href', canvas.toDataURL('image/png'));
    copy.replaceWith(image);
  });
  return new XMLSerializer().serializeToString(clone);
}

/** Copies computed fill, stroke and font onto the clone so the exported file looks the same. */
function inlineStyles(source: Element, target: Element): void {
  const style = getComputedStyle(source);
  const keep = [
    'fill',
    'stroke',
    'stroke-width',
    'stroke-dasharray',
    'font-family',
    'font-size',
    'font-weight',
    'opacity',
    'fill-opacity',
    'text-anchor',
    'dominant-baseline',
  ];
  (target as SVGElement).setAttribute('style', keep.map((k) => `${k}:${style.getPropertyValue(k)}`).join(';'));
  Array.from(source.children).forEach((child, i) => {
    const copy = target.children[i];
    if (copy && !(child instanceof HTMLElement)) inlineStyles(child, copy);
  });
}

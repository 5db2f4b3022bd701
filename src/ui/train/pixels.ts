/** Paints uint8 pixels (H×W×C, C = 1 or 3) on a canvas of their size (CSS scales it). */
export function paintPixels(canvas: HTMLCanvasElement, pixels: Uint8Array, [h, w, c]: readonly number[]): void {
  canvas.width = w as number;
  canvas.height = h as number;
  const context = canvas.getContext('2d');
  if (!context) return;
  const image = context.createImageData(w as number, h as number);
  for (let i = 0; i < (h as number) * (w as number); i++) {
    const [r, g, b] =
      c === 1 ? [pixels[i], pixels[i], pixels[i]] : [pixels[i * 3], pixels[i * 3 + 1], pixels[i * 3 + 2]];
    image.data.set([r ?? 0, g ?? 0, b ?? 0, 255], i * 4);
  }
  context.putImageData(image, 0, 0);
}

/** Paints a float map (H×W) in grey, stretched from its minimum (black) to its maximum (white). */
export function paintMap(canvas: HTMLCanvasElement, values: Float32Array, h: number, w: number): void {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  const grey = Uint8Array.from(values, (v) => (v - lo) * scale);
  paintPixels(canvas, grey, [h, w, 1]);
}

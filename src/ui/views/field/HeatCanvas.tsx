import { useEffect, useRef } from 'react';
import type { Grid } from '../../../engine/analysis/connectivity';
import { paintHeat } from '../../../viz/field-heat';
import type { SampleImage } from '../../../viz/samples';

interface HeatCanvasProps {
  readonly grid: Grid;
  readonly picture: SampleImage | null;
  readonly x: number;
  readonly y: number;
  readonly size: number;
  readonly label: string;
}

/** A grid's path counts painted on a canvas inside the figure's SVG (so Export SVG keeps it). */
export function HeatCanvas({ grid, picture, x, y, size, label }: HeatCanvasProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (canvas.current) paintHeat(canvas.current, grid, picture);
  }, [grid, picture]);
  const [h = 1, w = 1] = grid.sizes;
  const scale = size / Math.max(h, w);
  return (
    <foreignObject x={x} y={y} width={w * scale} height={h * scale}>
      <canvas ref={canvas} className="heat" role="img" aria-label={label} />
    </foreignObject>
  );
}

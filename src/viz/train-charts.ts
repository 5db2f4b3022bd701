import { axisBottom, axisLeft, extent, line, scaleLinear, select, type Selection } from 'd3';

/** A point of a live curve: x in epochs (fractional within an epoch). */
export interface CurvePoint {
  readonly x: number;
  readonly loss: number;
  readonly accuracy: number;
}

/** One point per finished epoch. */
export interface EpochPoint {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly testLoss: number;
  readonly testAccuracy: number;
}

export interface TrainChartData {
  readonly steps: readonly CurvePoint[];
  readonly epochs: readonly EpochPoint[];
  /** The run's length, so the x axis does not rescale as it goes. */
  readonly totalEpochs: number;
}

export interface TrainCharts {
  update(data: TrainChartData): void;
  destroy(): void;
}

type G = Selection<SVGGElement, unknown, null, undefined>;

const WIDTH = 360;
const HEIGHT = 200;
const M = { top: 26, right: 14, bottom: 34, left: 46 };

/** Step values averaged over a window, so a noisy batch curve reads as a trend. */
function smooth(values: readonly CurvePoint[], key: 'loss' | 'accuracy', window = 8): [number, number][] {
  const out: [number, number][] = [];
  let sum = 0;
  values.forEach((p, i) => {
    sum += p[key];
    if (i >= window) sum -= (values[i - window] as CurvePoint)[key];
    out.push([p.x, sum / Math.min(i + 1, window)]);
  });
  return out;
}

/**
 * Loss and accuracy as a run goes: each training step (faint), their running mean (line), and
 * train and test per epoch (dots, test dashed). Two panels side by side, both with epochs across.
 */
export function createTrainCharts(container: HTMLElement): TrainCharts {
  const svg = select(container)
    .append('svg')
    .attr('class', 'figure train-charts')
    .attr('role', 'img')
    .attr('viewBox', `0 0 ${WIDTH * 2 + 20} ${HEIGHT}`);
  const title = svg.append('title');
  const panels = (['loss', 'accuracy'] as const).map((key, i) => {
    const g = svg
      .append('g')
      .attr('class', `panel ${key}`)
      .attr('transform', `translate(${i * (WIDTH + 20)}, 0)`);
    g.append('text')
      .attr('class', 'panel-title')
      .attr('x', M.left)
      .attr('y', 14)
      .text(key === 'loss' ? 'Loss' : 'Accuracy');
    g.append('g')
      .attr('class', 'x-axis')
      .attr('transform', `translate(0, ${HEIGHT - M.bottom})`);
    g.append('g').attr('class', 'y-axis').attr('transform', `translate(${M.left}, 0)`);
    g.append('text')
      .attr('class', 'axis-label')
      .attr('x', (WIDTH + M.left - M.right) / 2)
      .attr('y', HEIGHT - 4)
      .text('epoch');
    g.append('path').attr('class', 'raw');
    g.append('path').attr('class', 'trend');
    g.append('path').attr('class', 'train-epochs');
    g.append('path').attr('class', 'test-epochs');
    g.append('g').attr('class', 'dots');
    return { key, g };
  });
  const legend = svg
    .append('g')
    .attr('class', 'legend')
    .attr('transform', `translate(${WIDTH + 20 + M.left + 90}, 14)`);
  [
    ['trend', 'train (steps)'],
    ['test', 'test (epochs)'],
  ].forEach(([cls, text], i) => {
    const item = legend.append('g').attr('transform', `translate(${i * 110}, 0)`);
    item
      .append('line')
      .attr('class', cls as string)
      .attr('x1', 0)
      .attr('x2', 16)
      .attr('y1', -4)
      .attr('y2', -4);
    item
      .append('text')
      .attr('x', 20)
      .attr('y', 0)
      .text(text as string);
  });
  return {
    update({ steps, epochs, totalEpochs }) {
      const x = scaleLinear()
        .domain([0, Math.max(totalEpochs, 1)])
        .range([M.left, WIDTH - M.right]);
      const last = epochs[epochs.length - 1];
      title.text(
        last
          ? `After epoch ${last.epoch}: train loss ${last.trainLoss.toFixed(3)}, test accuracy ${(last.testAccuracy * 100).toFixed(1)}%.`
          : steps.length
            ? `Training: loss ${(steps[steps.length - 1] as CurvePoint).loss.toFixed(3)}.`
            : 'No training yet.',
      );
      for (const { key, g } of panels) drawPanel(g, key, x, steps, epochs);
    },
    destroy() {
      svg.remove();
    },
  };
}

function drawPanel(
  g: G,
  key: 'loss' | 'accuracy',
  x: ReturnType<typeof scaleLinear<number, number>>,
  steps: readonly CurvePoint[],
  epochs: readonly EpochPoint[],
): void {
  const values = [
    ...steps.map((p) => p[key]),
    ...epochs.flatMap((e) => (key === 'loss' ? [e.trainLoss, e.testLoss] : [e.trainAccuracy, e.testAccuracy])),
  ];
  const [lo = 0, hi = 1] = extent(values);
  const y = scaleLinear()
    .domain(key === 'accuracy' ? [0, 1] : [Math.min(0, lo), Math.max(hi, 0.1)])
    .nice()
    .range([HEIGHT - M.bottom, M.top]);
  g.select<SVGGElement>('.x-axis').call(
    axisBottom(x)
      .ticks(Math.min(10, Math.ceil(x.domain()[1] as number)))
      .tickSizeOuter(0),
  );
  g.select<SVGGElement>('.y-axis').call(
    axisLeft(y)
      .ticks(5)
      .tickFormat((v) => (key === 'accuracy' ? `${Math.round(Number(v) * 100)}%` : String(v))),
  );
  const path = line<[number, number]>()
    .x((d) => x(d[0]))
    .y((d) => y(d[1]));
  g.select('.raw').attr('d', path(steps.map((p) => [p.x, p[key]])) ?? '');
  g.select('.trend').attr('d', path(smooth(steps, key)) ?? '');
  const trainKey = key === 'loss' ? 'trainLoss' : 'trainAccuracy';
  const testKey = key === 'loss' ? 'testLoss' : 'testAccuracy';
  g.select('.train-epochs').attr('d', path(epochs.map((e) => [e.epoch, e[trainKey]])) ?? '');
  g.select('.test-epochs').attr('d', path(epochs.map((e) => [e.epoch, e[testKey]])) ?? '');
  g.select('.dots')
    .selectAll('circle')
    .data(
      epochs.flatMap((e) => [
        { x: e.epoch, y: e[trainKey], test: false },
        { x: e.epoch, y: e[testKey], test: true },
      ]),
    )
    .join('circle')
    .attr('class', (d) => (d.test ? 'test' : 'train'))
    .attr('cx', (d) => x(d.x))
    .attr('cy', (d) => y(d.y))
    .attr('r', 3.5);
}

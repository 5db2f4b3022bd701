/**
 * Engine benchmark: how long the analysis of a model takes (every shape, weight, parameter,
 * MAC and receptive field, plus diagnostics), median of many runs after warm-up.
 * Goal: a 1,000-layer model in under 5 ms. Run with `npm run bench`.
 */
import { performance } from 'node:perf_hooks';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import type { Model } from '../../src/engine/model/model';
import { parseProject } from '../../src/io/project/format';
import { presetModel } from '../../src/presets';

function thousandLayers(): Model {
  const layers: Record<string, unknown>[] = [{ name: 'input', type: 'Input', shape: [32, 32, 16] }];
  let skip = 'input';
  for (let i = 0; layers.length < 1000; i++) {
    layers.push(
      { name: `conv${i}`, type: 'Conv2D', filters: 16, kernelSize: 3, padding: 'same', useBias: false },
      { name: `bn${i}`, type: 'BatchNormalization' },
      { name: `relu${i}`, type: 'Activation', activation: 'relu' },
    );
    if (i % 2 === 1) {
      layers.push({ name: `add${i}`, type: 'Add', inputs: [`relu${i}`, skip] });
      skip = `add${i}`;
    }
  }
  const read = parseProject({ name: '1,000 layers', layers: layers.slice(0, 1000) });
  if (!read.ok) throw new Error(read.error);
  return read.model;
}

function time(run: () => void, minRuns = 50, minMs = 1500): { median: number; p95: number; runs: number } {
  for (let i = 0; i < 20; i++) run();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < minRuns || performance.now() - start < minMs) {
    const t = performance.now();
    run();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return {
    median: samples[Math.floor(samples.length / 2)]!,
    p95: samples[Math.floor(samples.length * 0.95)]!,
    runs: samples.length,
  };
}

const cases: [string, Model][] = [
  ['1,000-layer residual stack (32×32×16)', thousandLayers()],
  ['ResNet-110 (54 blocks, 109 convolutions)', presetModel('resnet110-a')],
  ['ResNet50 (Keras Applications)', presetModel('resnet50')],
  ['VGG16', presetModel('vgg16')],
];

console.log(`Engine analysis, Node ${process.version}, median of ≥ 50 runs after 20 warm-up runs\n`);
console.log(
  'model'.padEnd(44) +
    'layers'.padStart(8) +
    'median ms'.padStart(12) +
    'p95 ms'.padStart(10) +
    'runs'.padStart(8) +
    'last edited ms'.padStart(16),
);
for (const [name, model] of cases) {
  const analysis = analyzeModel(model);
  const count = analysis.layers.reduce((n, l) => n + 1 + (l.children?.length ?? 0), 0);
  const t = time(() => analyzeModel(model));
  // After an edit the editor passes the previous analysis: unchanged layers keep their results.
  const edited = { ...model, layers: model.layers.map((l, i) => (i === model.layers.length - 1 ? { ...l } : l)) };
  const warm = time(() => analyzeModel(edited, analysis));
  console.log(
    name.padEnd(44) +
      String(count).padStart(8) +
      t.median.toFixed(3).padStart(12) +
      t.p95.toFixed(3).padStart(10) +
      String(t.runs).padStart(8) +
      warm.median.toFixed(3).padStart(16),
  );
}
const text = JSON.stringify({ layers: presetModel('resnet110-a').layers.map((l) => ({ name: l.name, ...l.spec })) });
const parse = time(() => parseProject(JSON.parse(text)));
console.log(
  `\nReading ResNet-110's project file (JSON.parse + schema validation): median ${parse.median.toFixed(3)} ms`,
);
console.log(
  'Goal: the 1,000-layer model under 5 ms. "last edited": after an edit of the last layer, the others reused.',
);

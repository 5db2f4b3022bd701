import fc from 'fast-check';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import type { Analysis } from '../../src/engine/analysis/result';
import type { Model } from '../../src/engine/model/model';
import { shapeIn } from '../../src/engine/notation';
import { toPyTorch } from '../../src/io/export/pytorch';
import { toTrainScript } from '../../src/io/export/train-script';
import { parseProject } from '../../src/io/project/format';
import { presetModel, presets } from '../../src/presets';
import { findPython, runPython } from './python/find-python';
import { recipeArb, toProjectLayers } from '../engine/tfjs-recipes';

const python = findPython(['torch']);
if (!python)
  console.warn(
    'PyTorch export checks skipped: no Python with torch (Debian: sudo apt-get install python3-torch; or set PYTHON).',
  );
const script = fileURLToPath(new URL('./python/check_torch.py', import.meta.url));

/** A model with every open size fixed (64), so PyTorch can run it and sizes can be compared. */
function concrete(model: Model): Model {
  return {
    ...model,
    layers: model.layers.map((l) =>
      l.spec?.type === 'Input' ? { ...l, spec: { ...l.spec, shape: l.spec.shape.map((d) => d ?? 64) } } : l,
    ),
  };
}

interface Result {
  shapes?: Record<string, number[]>;
  params?: number;
  trainable?: number;
  error?: string;
}

/** Exports each model, runs them all in one Python process, and compares with the engine. */
function checkAll(models: readonly { id: string; analysis: Analysis }[]) {
  const jobs = models.map(({ id, analysis }) => {
    const exported = toPyTorch(analysis);
    if (!exported.ok) throw new Error(`${id}: ${JSON.stringify(exported.problems)}`);
    return { id, analysis, exported: exported.value, code: exported.value.code, inputs: exported.value.inputs };
  });
  const results = runPython<Record<string, Result>>(
    python as string,
    script,
    jobs.map(({ id, code, inputs }) => ({ id, code, inputs })),
  );
  for (const { id, analysis, exported } of jobs) {
    const result = results[id] as Result;
    expect(result.error, `${id} runs in PyTorch`).toBeUndefined();
    for (const layer of analysis.layers) {
      if (layer.spec?.type === 'Input' || !layer.output) continue;
      const local = exported.locals[layer.name] as string;
      expect(result.shapes?.[local], `${id}: ${layer.name}`).toEqual([
        1,
        ...shapeIn(layer.output, analysis.model.dataFormat, 'pytorch'),
      ]);
    }
    expect(result.params, `${id}: parameters`).toBe(analysis.totals.params);
    expect(result.trainable, `${id}: trainable parameters`).toBe(analysis.totals.trainableParams);
  }
}

describe.skipIf(!python)('PyTorch export, run under real PyTorch', () => {
  it('every preset: each layer’s output shape and the parameter counts equal the engine’s', () => {
    checkAll(
      presets.map((p) => ({ id: p.id.replace(/\W/g, '_'), analysis: analyzeModel(concrete(presetModel(p.id))) })),
    );
  });

  it('random models (convolutions, pooling, padding, residuals, concatenation, heads; 1-D and 2-D)', () => {
    const models: { id: string; analysis: Analysis }[] = [];
    for (const rank of [1, 2] as const) {
      fc.sample(recipeArb(rank), { numRuns: 400, seed: rank * 17 }).forEach((recipe, i) => {
        const read = parseProject({
          layers: toProjectLayers(recipe).map((l) => ({
            ...l,
            ...(typeof l['filters'] === 'number' && (l['filters'] as number) < 0 ? { filters: 4 } : {}),
          })),
        });
        if (!read.ok) return;
        const analysis = analyzeModel(concrete(read.model));
        if (analysis.ok && models.length < 60 * rank) models.push({ id: `r${rank}_${i}`, analysis });
      });
    }
    expect(models.length).toBeGreaterThan(80);
    checkAll(models);
  });

  it('PyTorch-specific semantics: asymmetric and explicit padding, causal, ceil mode, dilation, groups, channels-first', () => {
    const cases: Record<string, unknown>[][] = [
      [
        { type: 'Input', shape: [15, 13, 3] },
        { type: 'Conv2D', filters: 4, kernelSize: 4, strides: 2, padding: 'same' },
        { type: 'MaxPooling2D', poolSize: 3, strides: 2, padding: 'same' },
        { type: 'AveragePooling2D', poolSize: 2, padding: 'same' },
      ],
      [
        { type: 'Input', shape: [30, 2] },
        { type: 'Conv1D', filters: 4, kernelSize: 3, dilationRate: 4, padding: 'causal' },
        { type: 'Conv1D', filters: 4, kernelSize: 2, padding: [[3, 0]] },
        { type: 'MaxPooling1D', poolSize: 3, strides: 2, padding: [1], ceilMode: true },
      ],
      [
        { type: 'Input', shape: [17, 17, 8] },
        {
          type: 'Conv2D',
          filters: 8,
          kernelSize: 3,
          groups: 4,
          padding: [
            [0, 2],
            [1, 0],
          ],
        },
        { type: 'AveragePooling2D', poolSize: 3, strides: 2, padding: 1, ceilMode: true },
        { type: 'DepthwiseConv2D', kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same' },
      ],
      [
        { type: 'Input', shape: [9, 9, 4] },
        { type: 'Conv2DTranspose', filters: 3, kernelSize: 4, strides: 2, padding: 'same' },
        {
          type: 'Conv2DTranspose',
          filters: 2,
          kernelSize: 3,
          strides: 3,
          padding: [
            [1, 2],
            [0, 1],
          ],
          outputPadding: 1,
        },
        { type: 'UpSampling2D', size: [2, 3] },
      ],
      [
        { type: 'Input', shape: [12, 12, 3] },
        { type: 'SeparableConv2D', filters: 5, kernelSize: 3, padding: 'same', activation: 'relu6' },
        {
          type: 'ZeroPadding2D',
          padding: [
            [1, 2],
            [3, 0],
          ],
        },
        {
          type: 'Cropping2D',
          cropping: [
            [2, 0],
            [1, 1],
          ],
        },
        { type: 'Reshape', targetShape: [-1, 5] },
        { type: 'Permute', dims: [2, 1] },
        { type: 'Dense', units: 7, activation: 'softmax' },
      ],
      [
        { type: 'Input', shape: [20, 6] },
        { type: 'TimeDistributed', layer: { type: 'Dense', units: 3 } },
        { type: 'ResNetBasicBlock', filters: 8, strides: 2, shortcut: 'A', padding: 'same' },
        { type: 'ResNetBottleneckBlock', filters: 4, strides: 2, strideOn: 'conv1' },
        { type: 'GlobalMaxPooling1D', keepdims: true },
      ],
    ];
    const models = cases.map((layers, i) => {
      const read = parseProject({ layers });
      if (!read.ok) throw new Error(read.error);
      const analysis = analyzeModel(read.model);
      expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      return { id: `case${i}`, analysis };
    });
    const channelsFirst = parseProject({
      dataFormat: 'channels_first',
      layers: [
        { type: 'Input', shape: [3, 11, 11] },
        { type: 'Conv2D', filters: 4, kernelSize: 3, padding: 'same', strides: 2 },
        { type: 'BatchNormalization' },
        { type: 'Flatten' },
        { type: 'Dense', units: 2 },
      ],
    });
    if (channelsFirst.ok) models.push({ id: 'channels_first', analysis: analyzeModel(channelsFirst.model) });
    checkAll(models);
  });
});

describe.skipIf(!python)('PyTorch export of Slice (ONNX’s channel split), run under real PyTorch', () => {
  it('x[:, start:end] on the channels, a spatial axis, or past the end, channels-first and channels-last', () => {
    const split = (dataFormat: string, shape: number[], channels: number) => ({
      dataFormat,
      layers: [
        { name: 'x', type: 'Input', shape },
        { name: 'a', type: 'Slice', axis: channels, start: 0, end: 3, inputs: ['x'] },
        { name: 'b', type: 'Slice', axis: channels, start: 3, end: 1000, inputs: ['x'] },
        { name: 'conv', type: 'Conv2D', filters: 2, kernelSize: 3, padding: 'same', inputs: ['b'] },
        { name: 'rows', type: 'Slice', axis: channels === 1 ? 2 : 1, start: 2, end: 7, inputs: ['a'] },
        { name: 'cat', type: 'Concatenate', inputs: ['a', 'conv'] },
      ],
      outputs: ['cat', 'rows'],
    });
    const models = [split('channels_first', [8, 9, 10], 1), split('channels_last', [9, 10, 8], 3)].map((project, i) => {
      const read = parseProject(project);
      if (!read.ok) throw new Error(read.error);
      const analysis = analyzeModel(read.model);
      expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      return { id: `slice${i}`, analysis };
    });
    checkAll(models);
  });
});

describe.skipIf(!python)('PyTorch export of sequence layers, run under real PyTorch', () => {
  it('Embedding, SimpleRNN, LSTM, GRU, Bidirectional, LayerNormalization, PReLU: shapes and exact parameter counts', () => {
    const cases: [string, 'channels_last' | 'channels_first', Record<string, unknown>[]][] = [
      [
        'text',
        'channels_last',
        [
          { type: 'Input', shape: [12] },
          { type: 'Embedding', inputDim: 100, outputDim: 16 },
          { type: 'Bidirectional', layer: { type: 'LSTM', units: 8, returnSequences: true } },
          { type: 'LayerNormalization' },
          { type: 'Bidirectional', layer: { type: 'GRU', units: 6 }, mergeMode: 'sum' },
          { type: 'Dense', units: 3 },
          { type: 'PReLU' },
        ],
      ],
      [
        'stacked',
        'channels_last',
        [
          { type: 'Input', shape: [10, 5] },
          { type: 'SimpleRNN', units: 7, activation: 'relu', returnSequences: true },
          { type: 'LSTM', units: 9, useBias: false, returnSequences: true },
          { type: 'Bidirectional', layer: { type: 'SimpleRNN', units: 3, returnSequences: true }, mergeMode: 'mul' },
          { type: 'GRU', units: 4 },
        ],
      ],
      [
        'image',
        'channels_last',
        [
          { type: 'Input', shape: [8, 8, 3] },
          { type: 'Conv2D', filters: 4, kernelSize: 3 },
          { type: 'PReLU', sharedAxes: [1, 2] },
          { type: 'LayerNormalization' },
          { type: 'Flatten' },
          { type: 'Dense', units: 2 },
        ],
      ],
      [
        'pytorch_layout',
        'channels_first',
        [
          { type: 'Input', shape: [10, 6] },
          { type: 'LSTM', units: 5, returnSequences: true },
          { type: 'LayerNormalization' },
          { type: 'Bidirectional', layer: { type: 'LSTM', units: 3 }, mergeMode: 'ave' },
        ],
      ],
      [
        'attention',
        'channels_last',
        [
          { name: 'q', type: 'Input', shape: [6, 16] },
          { name: 'kv', type: 'Input', shape: [9, 10] },
          { name: 'self', type: 'MultiHeadAttention', numHeads: 4, keyDim: 4, inputs: ['q', 'q'] },
          { name: 'cross', type: 'MultiHeadAttention', numHeads: 2, keyDim: 8, inputs: ['self', 'kv'] },
          {
            name: 'nobias',
            type: 'MultiHeadAttention',
            numHeads: 2,
            keyDim: 8,
            useBias: false,
            inputs: ['cross', 'kv', 'kv'],
          },
        ],
      ],
    ];
    checkAll(
      cases.map(([id, dataFormat, layers]) => {
        const read = parseProject({ dataFormat, layers });
        if (!read.ok) throw new Error(read.error);
        const analysis = analyzeModel(read.model);
        expect(
          analysis.diagnostics.filter((d) => d.severity === 'error'),
          id,
        ).toEqual([]);
        return { id, analysis };
      }),
    );
  });

  it('says why a layer PyTorch computes differently is not exported', () => {
    const problems = (layer: Record<string, unknown>, input = [10, 4]) => {
      const read = parseProject({
        layers: [
          { type: 'Input', shape: input },
          { name: 'x', ...layer },
        ],
      });
      if (!read.ok) throw new Error(read.error);
      const exported = toPyTorch(analyzeModel(read.model));
      return exported.ok ? [] : exported.problems;
    };
    expect(problems({ type: 'GRU', units: 3, resetAfter: false })[0]).toMatchObject({
      layer: 'x',
      message: expect.stringContaining('reset_after=False'),
    });
    expect(problems({ type: 'LSTM', units: 3, recurrentActivation: 'hard_sigmoid' })[0]?.message).toContain(
      'hard_sigmoid',
    );
    expect(problems({ type: 'PReLU' })[0]?.message).toContain('one slope per channel');
    expect(problems({ type: 'LayerNormalization', axis: 1 })[0]?.message).toContain('last axes');
    const attention = parseProject({
      layers: [
        { name: 'in', type: 'Input', shape: [5, 8] },
        { name: 'x', type: 'MultiHeadAttention', numHeads: 2, keyDim: 3, inputs: ['in', 'in'] },
      ],
    });
    const exported = attention.ok ? toPyTorch(analyzeModel(attention.model)) : null;
    expect(exported?.ok === false && exported.problems[0]).toMatchObject({
      layer: 'x',
      message: expect.stringContaining('heads × keyDim is 6'),
    });
  });
});

const torchvision = python && findPython(['torch', 'torchvision']);
/** The shared CIFAR-10 subset beside the project (see ../shared/data/README.md), or $CONVSCOPE_CIFAR10. */
const cifar =
  process.env['CONVSCOPE_CIFAR10'] ??
  fileURLToPath(new URL('../../../shared/data/cifar-10-binary-subset.tar.gz', import.meta.url));
const haveCifar = existsSync(cifar);
if (python && !torchvision)
  console.warn('Training-script check skipped: no torchvision (Debian: sudo apt-get install python3-torchvision).');
if (torchvision && !haveCifar)
  console.warn(
    `Training-script check skipped: ${cifar} is missing (set CONVSCOPE_CIFAR10 to a CIFAR-10 binary archive).`,
  );

/** Writes a preset's model.py and train.py into a fresh folder. */
function exportForTraining(id: string): string {
  const analysis = analyzeModel(presetModel(id));
  const model = toPyTorch(analysis);
  const train = toTrainScript(analysis);
  if (!model.ok || !train.ok) throw new Error(`${id}: export failed`);
  const dir = mkdtempSync(join(tmpdir(), 'convscope-train-'));
  writeFileSync(join(dir, 'model.py'), model.value.code);
  writeFileSync(join(dir, 'train.py'), train.value);
  return dir;
}

describe.skipIf(!torchvision || !haveCifar)('the training script', () => {
  it('trains the exported ResNet-20 for one short epoch on a slice of real CIFAR-10', () => {
    const dir = exportForTraining('resnet20-a');
    const args = [
      'train.py',
      '--data',
      'cifar10',
      '--cifar-archive',
      cifar,
      '--epochs',
      '1',
      '--max-train-samples',
      '256',
      '--max-test-samples',
      '256',
      '--batch-size',
      '64',
      '--workers',
      '0',
      '--save',
      'weights.pt',
    ];
    const output = execFileSync(torchvision as string, args, { cwd: dir, timeout: 300_000 }).toString();
    expect(output).toMatch(/epoch 1\/1 {2}loss \d+\.\d+ {2}train acc \d+\.\d% {2}test acc \d+\.\d% {2}\d+ images\/s/);
    expect(existsSync(join(dir, 'weights.pt'))).toBe(true);
  });

  it('trains with DistributedDataParallel across two processes, as torchrun starts them (CPU, gloo)', async () => {
    // Debian's torchrun (PyTorch 1.13 on Python 3.11) fails in its own launcher, so the two
    // workers are started here with the environment torchrun gives them.
    const dir = exportForTraining('resnet20-b');
    const port = String(29500 + Math.floor(Math.random() * 400));
    const args = [
      'train.py',
      '--cifar-archive',
      cifar,
      '--epochs',
      '1',
      '--max-train-samples',
      '128',
      '--max-test-samples',
      '64',
      '--batch-size',
      '32',
      '--workers',
      '0',
      '--save',
      'ddp.pt',
    ];
    const worker = (rank: number) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const env = {
          ...process.env,
          WORLD_SIZE: '2',
          RANK: String(rank),
          LOCAL_RANK: String(rank),
          MASTER_ADDR: '127.0.0.1',
          MASTER_PORT: port,
          OMP_NUM_THREADS: '1',
        };
        const child = spawn(torchvision as string, args, { cwd: dir, env });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (out += d));
        child.on('close', (code) => resolve({ code, out }));
      });
    const [first, second] = await Promise.all([worker(0), worker(1)]);
    expect(first.code, first.out).toBe(0);
    expect(second.code, second.out).toBe(0);
    expect(first.out).toMatch(/epoch 1\/1 .* test acc/);
    expect(second.out).not.toMatch(/epoch 1\/1/);
    expect(existsSync(join(dir, 'ddp.pt'))).toBe(true);
  });

  it('refuses a data set the model does not fit, with a clear message', () => {
    const dir = exportForTraining('mnist');
    const run = spawnSync(
      torchvision as string,
      ['train.py', '--data', 'cifar10', '--cifar-archive', cifar, '--epochs', '1', '--workers', '0'],
      { cwd: dir, timeout: 300_000 },
    );
    expect(run.status).not.toBe(0);
    expect(run.stderr.toString()).toContain("This model takes (1, 28, 28) images but the data set's are (3, 32, 32)");
  });
});

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import type { Analysis } from '../../src/engine/analysis/result';
import { shapeIn } from '../../src/engine/notation';
import { exportModel, type Target } from '../../src/io/export';
import { toPyTorch } from '../../src/io/export/pytorch';
import { parseProject } from '../../src/io/project/format';
import { terminalText } from '../../src/io/safe-text';
import { analyse, benign } from './hostile-models';
import { findPython, runPython, runPythonLines } from './python/find-python';

/* The reproductions, run as a user runs the exported files. */

const python = findPython(['json']);
const torch = findPython(['torch', 'torchvision']);
const script = (name: string) => fileURLToPath(new URL(`./python/${name}`, import.meta.url));

const markers = mkdtempSync(join(tmpdir(), 'convscope-markers-'));
const work = mkdtempSync(join(tmpdir(), 'convscope-hostile-'));
/** Python that creates the file `tag` in the markers folder: the proof that code ran. */
const payload = (tag: string) => `__import__("pathlib").Path(${JSON.stringify(join(markers, tag))}).touch()`;

/** Ways out of a string, a docstring, a comment or a line, each around a payload. */
const BREAKOUTS: readonly ((p: string) => string)[] = [
  (p) => `x""";${p};"""`,
  (p) => `x''';${p};'''`,
  (p) => `x";${p};"`,
  (p) => `x\\";${p};#`,
  (p) => `\n${p}\n#`,
  (p) => `\r${p}\r#`,
  (p) => `x\u2028${p}\u2029`,
  (p) => `x"+str(${p})+"`,
  (p) => `C:\\Users\\"""\n${p}\n#`,
  (p) => `{${p}}`,
  (p) => `\0""";${p};"""`,
  (p) => `\ud800""";${p};"""#\u202e`,
];

/** Writes model.py, train.py and keras_model.py as the export dialog or the CLI would. */
function writeExports(analysis: Analysis, folder: string): void {
  mkdirSync(folder, { recursive: true });
  const files: [Target, string][] = [
    ['pytorch', 'model.py'],
    ['train-script', 'train.py'],
    ['keras', 'keras_model.py'],
  ];
  for (const [target, file] of files) {
    const result = exportModel(analysis, target);
    if (!result.ok) throw new Error(`${target}: ${JSON.stringify(result.problems)}`);
    writeFileSync(join(folder, file), result.value);
  }
}

interface RunResult {
  model?: string;
  help?: string;
  keras?: { name: string; layers: string[] };
  error?: string;
}

function runExports(jobs: readonly object[]): Record<string, RunResult> {
  return runPython<Record<string, RunResult>>(torch as string, script('run_hostile.py'), jobs);
}

const breakout = (i: number) => BREAKOUTS[i % BREAKOUTS.length] as (p: string) => string;
const planted = () => readdirSync(markers).filter((f) => !f.startsWith('control'));

describe.skipIf(!torch)('hostile names, run for real: PyTorch 1.13, train.py --help, Keras code on a stand-in', () => {
  it('finding 1: the model name x""";<code>;""" runs nothing in model.py, train.py or keras_model.py', () => {
    const name = `x""";${payload('docstring')};"""`;
    const folder = join(work, 'finding1');
    writeExports(analyse(0, name, ['input', 'conv1', 'pool1', 'flatten', 'fc']), folder);
    const results = runExports([{ control: payload('control-finding1') }, { id: 'finding1', folder }]);
    expect(existsSync(join(markers, 'control-finding1')), 'the payload works when it is run').toBe(true);
    expect(results['finding1']?.error).toBeUndefined();
    expect(results['finding1']?.model).toMatch(/parameters: \d+/);
    expect(results['finding1']?.help).toContain(`Train ${name} (exported by ConvScope)`);
    expect(results['finding1']?.keras).toEqual({ name, layers: ['input', 'conv1', 'pool1', 'flatten', 'fc'] });
    expect(planted()).toEqual([]);
  });

  it('every breakout, in the model name and in layer names: the files run, Keras gets the exact names, no payload runs', () => {
    const jobs: object[] = [];
    const expected: Record<string, { name: string; layers: string[] }> = {};
    BREAKOUTS.forEach((_, i) => {
      const name = breakout(i)(payload(`model-${i}`));
      const layers = [0, 1, 2, 3, 4].map((k) => breakout(i + k + 1)(payload(`layer-${i}-${k}`)));
      const folder = join(work, `breakout-${i}`);
      writeExports(analyse(0, name, layers), folder);
      jobs.push({ id: String(i), folder });
      expected[String(i)] = { name, layers };
    });
    const results = runExports(jobs);
    for (const [id, want] of Object.entries(expected)) {
      const result = results[id] as RunResult;
      expect(result.error, `breakout ${id}`).toBeUndefined();
      expect(result.model).toMatch(/output: \(1, 10\)/);
      expect(result.help).toContain(`Train ${terminalText(want.name)} (exported by ConvScope)`);
      expect(result.help, 'the docstring holds no control character').not.toMatch(
        /(?!\n)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u,
      );
      expect(result.keras).toEqual(want);
    }
    expect(planted()).toEqual([]);
  });

  it('finding 2: layers named forward, training, float, __class__, _modules, torch, self, F, print, class, eval run under PyTorch', () => {
    const read = parseProject({
      name: 'attributes',
      layers: [
        { name: 'input', type: 'Input', shape: [8, 8, 3] },
        { name: 'forward', type: 'Conv2D', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' },
        { name: 'training', type: 'BatchNormalization' },
        { name: 'float', type: 'Conv2D', filters: 4, kernelSize: 3, strides: 2, padding: 'same' },
        { name: 'state_dict', type: 'MaxPooling2D', poolSize: 3, strides: 2, padding: 'same' },
        { name: '__class__', type: 'Conv2D', filters: 4, kernelSize: 1 },
        { name: '_modules', type: 'Conv2D', filters: 4, kernelSize: 1, inputs: ['state_dict'] },
        { name: 'torch', type: 'Add', inputs: ['__class__', '_modules'] },
        { name: 'self', type: 'Flatten' },
        { name: 'F', type: 'Dense', units: 8, activation: 'relu' },
        { name: 'print', type: 'Dropout', rate: 0.5 },
        { name: 'class', type: 'Dense', units: 6 },
        { name: 'eval', type: 'Activation', activation: 'softmax' },
      ],
    });
    if (!read.ok) throw new Error(read.error);
    const analysis = analyzeModel(read.model);
    const exported = toPyTorch(analysis);
    if (!exported.ok) throw new Error(JSON.stringify(exported.problems));
    const { code, locals, inputs } = exported.value;
    expect(code).toContain('self.forward_ = nn.Conv2d(');
    expect(code).toContain("F.pad(float_, (0, 1, 0, 1), value=float('-inf'))");
    const results = runPython<Record<string, { shapes?: Record<string, number[]>; params?: number; error?: string }>>(
      torch as string,
      script('check_torch.py'),
      [{ id: 'attributes', code, inputs }],
    );
    const result = results['attributes'];
    expect(result?.error).toBeUndefined();
    for (const layer of analysis.layers) {
      if (layer.spec?.type === 'Input' || !layer.output) continue;
      expect(result?.shapes?.[locals[layer.name] as string], layer.name).toEqual([
        1,
        ...shapeIn(layer.output, 'channels_last', 'pytorch'),
      ]);
    }
    expect(result?.params).toBe(analysis.totals.params);
  });

  it('train.py imports a module whose file name is not an identifier (2024.py) or is a keyword (class.py)', () => {
    const analysis = analyse(0, 'm', ['input', 'conv1', 'pool1', 'flatten', 'fc']);
    const jobs = ['2024', 'class'].map((module) => {
      const folder = join(work, `module-${module}`);
      mkdirSync(folder);
      const model = toPyTorch(analysis);
      const train = exportModel(analysis, 'train-script', module);
      if (!model.ok || !train.ok) throw new Error('not exported');
      writeFileSync(join(folder, `${module}.py`), model.value.code);
      writeFileSync(join(folder, 'train.py'), train.value);
      return { id: module, folder, module };
    });
    const results = runExports(jobs);
    expect(results['2024']?.error).toBeUndefined();
    expect(results['class']?.error).toBeUndefined();
    expect(results['2024']?.help).toContain('The model comes from 2024.py beside this file.');
  });
});

const cifar =
  process.env['CONVSCOPE_CIFAR10'] ??
  fileURLToPath(new URL('../../../shared/data/cifar-10-binary-subset.tar.gz', import.meta.url));

describe.skipIf(!torch || !existsSync(cifar))('a hostile-named model trains on real CIFAR-10 images', () => {
  it('train.py runs a short epoch; no payload in the model or layer names runs', () => {
    const layers = [0, 1, 2, 3].map((k) => breakout(k + 4)(payload(`train-layer-${k}`)));
    const read = parseProject({
      name: breakout(0)(payload('train-model')),
      layers: [
        { name: layers[0], type: 'Input', shape: [32, 32, 3] },
        { name: layers[1], type: 'Conv2D', filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' },
        { name: layers[2], type: 'GlobalAveragePooling2D' },
        { name: layers[3], type: 'Dense', units: 10 },
      ],
    });
    if (!read.ok) throw new Error(read.error);
    const folder = join(work, 'train');
    writeExports(analyzeModel(read.model), folder);
    const args = ['train.py', '--cifar-archive', cifar, '--epochs', '1', '--max-train-samples', '64'];
    args.push('--max-test-samples', '32', '--batch-size', '32', '--workers', '0');
    const output = execFileSync(torch as string, args, { cwd: folder, timeout: 300_000 }).toString();
    expect(output).toMatch(/epoch 1\/1 {2}loss \d+\.\d+ .* test acc/);
    expect(planted()).toEqual([]);
  });
});

describe.skipIf(!python)('the issue’s plain names that broke the export', () => {
  it('finding 1: a model name with backslashes (C:\\Users) parses in every Python file, and reads as written', () => {
    const name = 'C:\\Users\\me\\';
    const lines: object[] = [];
    for (const [target, doc] of [
      ['pytorch', `${name}: a PyTorch model exported by ConvScope.`],
      ['keras', `${name}: a Keras model exported by ConvScope.`],
      ['train-script', `Train ${name} (exported by ConvScope)`],
    ] as const) {
      const code = (r: ReturnType<typeof exportModel>) => (r.ok ? r.value : '');
      lines.push({
        id: `${target}-plain`,
        lang: 'python',
        ref: target,
        role: 'benign',
        code: code(exportModel(benign(0), target)),
      });
      const hostile = code(exportModel(analyse(0, name, ['a', 'b', 'c', 'd', 'e']), target));
      lines.push({
        id: target,
        lang: 'python',
        ref: target,
        role: 'hostile',
        code: hostile,
        doc,
        names: target === 'keras' ? [name] : [],
      });
    }
    const report = runPythonLines<{ checked: number; failures: unknown[] }>(
      python as string,
      script('check_hostile.py'),
      lines,
    );
    expect(report.failures).toEqual([]);
    expect(report.checked).toBe(3);
  });
});

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run';
import { toProjectFile } from '../../src/io/project/format';
import { presetModel } from '../../src/presets';

const dir = mkdtempSync(join(tmpdir(), 'convscope-cli-'));
function file(name: string, content: string | object): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

async function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const mnist = {
  format: 'convscope.model',
  version: 1,
  name: 'mnist',
  layers: [
    { name: 'input', type: 'Input', shape: [28, 28, 1] },
    { name: 'conv1', type: 'Conv2D', filters: 32, kernelSize: 5, padding: 'same' },
    { name: 'pool1', type: 'MaxPooling2D' },
    { name: 'conv2', type: 'Conv2D', filters: 64, kernelSize: 5, padding: 'same' },
    { name: 'pool2', type: 'MaxPooling2D' },
  ],
};

describe('cli summary', () => {
  it('prints a Keras-like table with weight shapes in PyTorch order by default, then Keras order on request', async () => {
    const path = file('mnist.json', mnist);
    const torch = await cli('summary', path);
    expect(torch.code).toBe(0);
    expect(torch.stdout).toMatch(/conv2 \(Conv2D\)\s+\(None, 64, 14, 14\)\s+64×32×5×5, 64\s+51,264/);
    expect(torch.stdout).toContain('Total params: 52,096');
    const keras = await cli('summary', path, '--notation', 'keras');
    expect(keras.stdout).toMatch(/conv2 \(Conv2D\)\s+\(None, 14, 14, 64\)\s+5×5×32×64, 64/);
  });

  it('--json is the documented contract: batch-first shapes, weights, params, MACs, receptive fields, totals', async () => {
    const { code, stdout } = await cli('summary', file('mnist2.json', mnist), '--json');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(Object.keys(summary)).toEqual(
      expect.arrayContaining(['layers', 'totalParams', 'trainableParams', 'nonTrainableParams', 'macs', 'diagnostics']),
    );
    const conv2 = summary.layers.find((l: { name: string }) => l.name === 'conv2');
    expect(conv2).toMatchObject({
      type: 'Conv2D',
      outputShape: [null, 14, 14, 64],
      weights: [
        { name: 'kernel', shape: [5, 5, 32, 64] },
        { name: 'bias', shape: [64] },
      ],
      params: 51_264,
      trainableParams: 51_264,
      macs: 14 * 14 * 64 * 32 * 25,
      // conv1 5×5: r 5, start −2; pool 2: r 6, jump 2; conv2 5×5 (pad 2): r 6 + 4·2 = 14, start −2 − 2·2 = −6
      receptiveField: { size: [14, 14], jump: [2, 2], start: [-6, -6] },
    });
    expect(summary.diagnostics).toEqual([]);
  });

  it('reads standard input with -', async () => {
    let stdout = '';
    const code = await runCli(['summary', '-', '--json'], {
      stdout: (t) => (stdout += t),
      stderr: () => {},
      stdin: async () => JSON.stringify(toProjectFile(presetModel('resnet20-a'))),
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).trainableParams).toBe(269_722);
  });

  it('exit 1 for a model with errors, diagnostics still printed', async () => {
    const bad = {
      layers: [
        { type: 'Input', shape: [4, 4, 1] },
        { name: 'big', type: 'Conv2D', filters: 2, kernelSize: 7 },
      ],
    };
    const text = await cli('summary', file('small.json', bad));
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('error   big: Output height would be -2');
    const json = await cli('summary', file('small.json', bad), '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).diagnostics[0]).toMatchObject({
      layer: 'big',
      severity: 'error',
      code: 'output-too-small',
    });
  });

  it.each([
    ['truncated JSON', '{"layers": [{"type": "Input", "sha', 2, 'Not valid JSON'],
    [
      'a negative kernel',
      {
        layers: [
          { type: 'Input', shape: [8, 8, 1] },
          { type: 'Conv2D', filters: 2, kernelSize: -3 },
        ],
      },
      1,
      'kernel size must be at least 1 (got -3)',
    ],
    [
      '10⁹ filters',
      {
        layers: [
          { type: 'Input', shape: [8, 8, 1] },
          { type: 'Conv2D', filters: 1e9, kernelSize: 3 },
        ],
      },
      1,
      'filters must be at most 1,048,576',
    ],
    [
      'an unknown layer',
      {
        layers: [
          { type: 'Input', shape: [8, 8, 1] },
          { type: 'Conv4D', filters: 2, kernelSize: 3 },
        ],
      },
      1,
      "unknown layer type 'Conv4D'",
    ],
    [
      'a cycle',
      {
        layers: [
          { name: 'a', type: 'Input', shape: [2] },
          { name: 'b', type: 'Dense', units: 2, inputs: ['c'] },
          { name: 'c', type: 'Dense', units: 2, inputs: ['b'] },
        ],
      },
      1,
      'feed each other in a loop',
    ],
    ['not a model', { hello: 'world' }, 2, 'Not a model file ConvScope knows'],
  ])('%s: a clear message and a non-zero exit', async (_name, content, exit, message) => {
    const { code, stdout, stderr } = await cli('summary', file('bad.json', content));
    expect(code).toBe(exit);
    expect(stdout + stderr).toContain(message);
  });

  it('a 50 MB file is refused unread', async () => {
    const path = join(dir, 'huge.json');
    writeFileSync(path, Buffer.alloc(50 * 1024 * 1024, 32));
    const { code, stderr } = await cli('summary', path);
    expect(code).toBe(2);
    expect(stderr).toContain('huge.json is 50.0 MB');
  });

  it('usage errors and missing files exit 2 with the usage', async () => {
    expect((await cli('summary')).code).toBe(2);
    expect((await cli('summarise', 'x')).stderr).toContain("Unknown command 'summarise'");
    expect((await cli('summary', 'x', '--notation', 'tf')).stderr).toContain("--notation takes 'pytorch' or 'keras'");
    const missing = await cli('summary', join(dir, 'nope.json'));
    expect(missing).toMatchObject({ code: 2 });
    expect(missing.stderr).toContain('no such file');
  });
});

/** Names that try to retitle the terminal, clear it, ring it, fake a table row and reverse text. */
const hostile = {
  name: 'evil\u001b]0;pwned\u0007\u001b[2J',
  layers: [
    { name: 'input', type: 'Input', shape: [8, 8, 3] },
    { name: 'conv\r\nfake_row (Dense)  (None, 1)', type: 'Conv2D', filters: 4, kernelSize: 3 },
    { name: 'bell\u0007\u009b31m', type: 'Flatten' },
    { name: 'gpj.\u202eexe', type: 'Dense', units: 2 },
    { name: 'bad\u001b[31m', type: 'Nope\u001b[2J' },
  ],
};
/** What a terminal must never receive raw: every control or invisible character but the newline. */
const RAW_CONTROL = /(?!\n)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

describe('the npm script, as a user runs it', () => {
  const run = promisify(execFile);
  const npm = (args: string[]) =>
    run('npm', ['run', '-s', 'cli', '--', ...args], { cwd: new URL('../..', import.meta.url).pathname }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  it('summary --json prints one JSON object and exits 0', async () => {
    const { code, stdout } = await npm([
      'summary',
      file('r20.json', toProjectFile(presetModel('resnet20-b'))),
      '--json',
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).trainableParams).toBe(272_474);
  });

  it('finding 3: summary shows ESC, BEL, CR and newlines in names as escapes: no raw control byte, no added row', async () => {
    const { code, stdout, stderr } = await npm(['summary', file('hostile-npm.json', hostile)]);
    expect(code).toBe(1);
    expect(stdout + stderr).not.toMatch(RAW_CONTROL);
    expect(stdout).toContain('Model: "evil\\x1b]0;pwned\\x07\\x1b[2J"');
    expect(stdout).toContain('conv\\r\\nfake_row (Dense)  (None, 1) (Conv2D)');
    expect(stdout).toContain("unknown layer type 'Nope\\x1b[2J'");
    const lines = stdout.split('\n');
    const rules = lines.flatMap((l, i) => (l.startsWith('─') ? [i] : []));
    expect(rules).toHaveLength(3);
    expect((rules[2] as number) - (rules[1] as number) - 1, 'one row per layer').toBe(hostile.layers.length);
  });

  it('bad input never shows a stack trace', async () => {
    for (const content of [
      '{"layers": [',
      '[]',
      JSON.stringify({ layers: [{ type: 'Input', shape: [2] }, { type: 'Nope' }] }),
    ]) {
      const { code, stdout, stderr } = await npm(['summary', file('bad-npm.json', content)]);
      expect(code).not.toBe(0);
      expect(stdout + stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('cli export', () => {
  const resnet = () => file('resnet20.json', toProjectFile(presetModel('resnet20-a')));

  it('prints a PyTorch module with build_model(), Keras code and Keras JSON', async () => {
    const torch = await cli('export', resnet(), '--to', 'pytorch');
    expect(torch.code).toBe(0);
    expect(torch.stdout).toContain('def build_model() -> nn.Module:');
    expect(torch.stdout).toContain('self.stage2_block1 = BasicBlock(2, 16, 32, 3, 2, "A", False, False)');
    const keras = await cli('export', resnet(), '--to', 'keras');
    expect(keras.stdout).toContain('return keras.Model(inputs=input_, outputs=fc, name="ResNet-20 (option A)")');
    const json = await cli('export', resnet(), '--to', 'keras-json');
    expect(JSON.parse(json.stdout)).toMatchObject({
      class_name: 'Functional',
      config: { name: 'ResNet-20 (option A)' },
    });
  });

  it('-o writes the module, and with --train-script a train.py beside it that imports it', async () => {
    const out = join(dir, 'net.py');
    const result = await cli('export', resnet(), '--to', 'pytorch', '--train-script', '-o', out);
    expect(result.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('class Model(nn.Module):');
    expect(readFileSync(join(dir, 'train.py'), 'utf8')).toContain('from net import build_model');
    expect(result.stderr).toContain(`wrote ${out}`);
  });

  it('a model a target cannot express: each problem at its layer, exit 1, nothing written', async () => {
    const pooled = file('ceil.json', {
      layers: [
        { type: 'Input', shape: [7, 7, 3] },
        { name: 'pool', type: 'MaxPooling2D', poolSize: 2, ceilMode: true },
      ],
    });
    const out = join(dir, 'never.json');
    const result = await cli('export', pooled, '--to', 'keras-json', '-o', out);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('pool: ceil mode changes');
    expect(existsSync(out)).toBe(false);
  });

  it('names reach standard output and error only escaped; the JSON outputs keep them exactly', async () => {
    const valid = { ...hostile, layers: hostile.layers.slice(0, 4) };
    const path = file('hostile-valid.json', valid);
    for (const to of ['pytorch', 'keras', 'keras-json']) {
      const result = await cli('export', path, '--to', to);
      expect(result.code).toBe(0);
      expect(result.stdout + result.stderr, to).not.toMatch(RAW_CONTROL);
    }
    const json = await cli('export', path, '--to', 'keras-json');
    expect(JSON.parse(json.stdout).config.layers.map((l: { config: { name: string } }) => l.config.name)).toEqual(
      valid.layers.map((l) => l.name),
    );
    const summary = await cli('summary', path, '--json');
    expect(summary.stdout).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(summary.stdout).layers.map((l: { name: string }) => l.name)).toEqual(
      valid.layers.map((l) => l.name),
    );
    const unreadable = await cli('summary', file('hostile-keys.json', { layers: [], '\u001b]0;x\u0007': 1 }));
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).not.toMatch(RAW_CONTROL);
    expect(unreadable.stderr).toContain("unknown field '\\x1b]0;x\\x07'");
    const pooled = file('hostile-ceil.json', {
      layers: [
        { type: 'Input', shape: [7, 7, 3] },
        { name: 'pool\u001b[2J\r\n', type: 'MaxPooling2D', poolSize: 2, ceilMode: true },
      ],
    });
    const refused = await cli('export', pooled, '--to', 'keras-json');
    expect(refused.code).toBe(1);
    expect(refused.stderr).not.toMatch(RAW_CONTROL);
    expect(refused.stderr).toContain('pool\\x1b[2J\\r\\n: ceil mode changes');
  });

  it('usage errors exit 2', async () => {
    expect((await cli('export', resnet())).stderr).toContain('export needs --to');
    expect((await cli('export', resnet(), '--to', 'onnx')).stderr).toContain(
      "--to takes pytorch, keras or keras-json, not 'onnx'",
    );
    expect((await cli('export', resnet(), '--to', 'keras', '--train-script')).code).toBe(2);
  });
});

import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as protobuf from 'protobufjs/light';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import { fetchModel } from '../../src/io/fetch-model';
import descriptor from '../../src/io/onnx/onnx-proto.json';
import { toProjectFile } from '../../src/io/project/format';
import { readModelFile } from '../../src/io/read-model-file';
import { presetModel } from '../../src/presets';

/**
 * The committed tiny-cnn.onnx (tests/fixtures/onnx/README.md: made by torch.onnx.export) through
 * every way in: bytes, the CLI, `?src=`. Its counts are PyTorch's: 356 parameters, plus batch
 * norm's 16 running statistics that the file also holds.
 */
const fixture = new Uint8Array(readFileSync(fileURLToPath(new URL('../fixtures/onnx/tiny-cnn.onnx', import.meta.url))));
const dir = mkdtempSync(join(tmpdir(), 'convscope-onnx-files-'));

/** The fixture with one node's operator renamed, re-encoded by protobufjs. */
function withOp(index: number, opType: string): Uint8Array {
  const type = protobuf.Root.fromJSON(descriptor).lookupType('onnx.ModelProto');
  const model = type.decode(fixture) as unknown as { graph: { node: { op_type: string }[] } };
  (model.graph.node[index] as { op_type: string }).op_type = opType;
  return type.encode(model as unknown as protobuf.Message).finish();
}

async function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('ONNX files', () => {
  it('reads the file’s layers channels first, with PyTorch’s counts', async () => {
    const read = await readModelFile(fixture, 'tiny-cnn.onnx');
    if (!read.ok) throw new Error(read.error);
    expect(read.source).toBe('onnx');
    expect(read.model.name).toBe('tiny-cnn');
    expect(read.model.dataFormat).toBe('channels_first');
    const analysis = analyzeModel(read.model);
    expect(analysis.ok).toBe(true);
    expect(analysis.totals.trainableParams).toBe(356);
    expect(analysis.totals.params).toBe(372);
    expect(analysis.layers.map((l) => l.spec?.type)).toEqual([
      'Input',
      'Conv2D',
      'BatchNormalization',
      'Activation',
      'MaxPooling2D',
      'DepthwiseConv2D',
      'Activation',
      'GlobalAveragePooling2D',
      'Flatten',
      'Dense',
    ]);
    expect(analysis.layers.map((l) => l.output)).toEqual([
      [3, 16, 16],
      [8, 16, 16],
      [8, 16, 16],
      [8, 16, 16],
      [8, 8, 8],
      [8, 8, 8],
      [8, 8, 8],
      [8, 1, 1],
      [8],
      [4],
    ]);
    expect(analysis.layers[6]?.spec).toMatchObject({ activation: 'relu6' });
  });

  it('an unknown operator is named at its node; the layers before it are analysed, and the totals are not claimed', async () => {
    const read = await readModelFile(withOp(4, 'FancyPool'), 'x.onnx');
    if (!read.ok) throw new Error(read.error);
    const analysis = analyzeModel(read.model);
    const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
    expect(errors[0]?.text.join(' ')).toMatch(
      /graph\.node\[4\] \('[^']*', FancyPool\): the ONNX operator 'FancyPool' is not supported/,
    );
    expect(analysis.layers.slice(0, 4).map((l) => l.output)).toEqual([
      [3, 16, 16],
      [8, 16, 16],
      [8, 16, 16],
      [8, 16, 16],
    ]);
    expect(analysis.ok).toBe(false);
  });

  it('a damaged file is refused with its cause, a misnamed one with what it is not', async () => {
    const cut = await readModelFile(fixture.subarray(0, 1500), 'cut.onnx');
    expect(cut).toMatchObject({ ok: false, error: expect.stringMatching(/^Not a readable ONNX file: .*cut short/) });
    const misnamed = await readModelFile(new TextEncoder().encode('{"a": 1}'), 'model.onnx');
    expect(misnamed).toMatchObject({ ok: false, error: expect.stringContaining('named .onnx but does not begin') });
  });

  it('JSON still reads through the bytes path', async () => {
    const json = JSON.stringify(toProjectFile(presetModel('lenet5')));
    const read = await readModelFile(new TextEncoder().encode(json), 'lenet.json');
    expect(read.ok && read.source).toBe('convscope');
  });

  it('CLI: summary --json reads an ONNX file; a damaged one exits 2 with the cause, no stack trace', async () => {
    const good = join(dir, 'tiny.onnx');
    writeFileSync(good, fixture);
    const ok = await cli('summary', good, '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({
      totalParams: 372,
      frameworks: { pytorch: { parameters: 356, buffers: 16 } },
    });
    const bad = join(dir, 'cut.onnx');
    writeFileSync(bad, fixture.subarray(0, 1500));
    const refused = await cli('summary', bad);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/cannot read .*cut\.onnx:\n {2}Not a readable ONNX file/);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
  });

  it('CLI: the size limit follows the format its first bytes begin (ONNX 1 GB, JSON 16 MB), checked before reading', async () => {
    const sparse = (name: string, head: Uint8Array, size: number) => {
      const path = join(dir, name);
      writeFileSync(path, head);
      truncateSync(path, size);
      return path;
    };
    const bigOnnx = await cli('summary', sparse('big.onnx', fixture.subarray(0, 16), 2 ** 30 + 1));
    expect(bigOnnx.code).toBe(2);
    expect(bigOnnx.stderr).toContain('is 1024.0 MB; ConvScope reads ONNX files up to 1024 MB.');
    const bigJson = await cli('summary', sparse('big.json', new TextEncoder().encode('{"layers": ['), 17 * 2 ** 20));
    expect(bigJson.code).toBe(2);
    expect(bigJson.stderr).toContain('is 17.0 MB; ConvScope reads model files up to 16 MB');
  });

  it('CLI: export --to pytorch writes the ONNX model’s layers', async () => {
    const path = join(dir, 'tiny-export.onnx');
    writeFileSync(path, fixture);
    const out = await cli('export', path, '--to', 'pytorch');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('nn.Conv2d(3, 8, kernel_size=(3, 3)');
    expect(out.stdout).toContain('nn.Linear(8, 4');
  });

  it('?src= fetches an ONNX file as bytes', async () => {
    const fake = (async () => new Response(fixture.slice(), { status: 200 })) as unknown as typeof fetch;
    const read = await fetchModel('https://example.org/models/tiny.onnx', 'https://app.example/', fake);
    expect(read.ok && read.model.layers.length).toBe(10);
  });
});

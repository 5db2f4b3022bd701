import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseBackend } from '../../../src/train/backend/choose';
import { cpuReference, smokeTest } from '../../../src/train/backend/smoke';

/**
 * Backend choice in Node (no GPU, no browser): WebGPU and WebGL are refused with their reasons,
 * WASM starts and passes the smoke test; a user's pick goes first; a backend that computes wrong
 * numbers is refused and the next one is taken.
 */
const restore: (() => void)[] = [];
afterEach(() => {
  while (restore.length) restore.pop()!();
});

describe('chooseBackend', () => {
  it('takes WASM in Node after refusing WebGPU and WebGL, each with a reason', async () => {
    const choice = await chooseBackend();
    expect(choice.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(choice.tried.map((t) => [t.name, t.ok])).toEqual([
      ['webgpu', false],
      ['webgl', false],
      ['wasm', true],
    ]);
    expect(choice.tried[0]!.reason).toMatch(/WebGPU/);
    expect(choice.tried[1]!.reason).toMatch(/WebGL/);
    // Our kernels are in place: a convnet's filter gradient runs on WASM.
    const w = tf.ones([3, 3, 2, 4]);
    const g = tf.grad((k: tf.Tensor) =>
      tf.conv2d(tf.ones([1, 5, 5, 2]) as tf.Tensor4D, k as tf.Tensor4D, 1, 'same').sum(),
    )(w);
    expect(g.shape).toEqual([3, 3, 2, 4]);
    expect(g.dataSync()[0]).toBe(16); // the corner tap sees a 4×4 block of ones
    tf.dispose([w, g]);
  });

  it('passes by a software WebGPU adapter (SwiftShader) unless the user picked WebGPU', async () => {
    const swiftshader = { info: { vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver' } };
    const gpu = { requestAdapter: async () => swiftshader };
    const had = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });
    restore.push(() =>
      had ? Object.defineProperty(globalThis, 'navigator', had) : Reflect.deleteProperty(globalThis, 'navigator'),
    );
    const auto = await chooseBackend();
    expect(auto.name).toBe('wasm');
    expect(auto.tried[0]).toMatchObject({ name: 'webgpu', ok: false });
    expect(auto.tried[0]!.reason).toMatch(
      /software renderer here \(google swiftshader SwiftShader driver\).*pick WebGPU/,
    );
    // Asked for, it is tried (this stand-in adapter then fails to start: no device).
    const picked = await chooseBackend('webgpu');
    expect(picked.tried[0]!.reason ?? '').not.toMatch(/software renderer/);
  });

  it("tries the user's pick first", async () => {
    const choice = await chooseBackend('cpu');
    expect(choice).toEqual({ name: 'cpu', tried: [{ name: 'cpu', ok: true }] });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('refuses a backend that starts but computes wrongly, says why, and takes the next', async () => {
    await chooseBackend('wasm');
    const relu = tf.getKernel('Relu', 'wasm')!;
    tf.unregisterKernel('Relu', 'wasm');
    // A broken ReLU: the identity (negative values pass through).
    tf.registerKernel({
      kernelName: 'Relu',
      backendName: 'wasm',
      kernelFunc: ({ inputs, backend }) => tf.getKernel('Identity', 'wasm')!.kernelFunc({ inputs, backend, attrs: {} }),
    });
    restore.push(() => {
      tf.unregisterKernel('Relu', 'wasm');
      tf.registerKernel(relu);
    });
    const choice = await chooseBackend('wasm');
    expect(choice.name).toBe('cpu');
    expect(choice.tried[0]).toMatchObject({ name: 'wasm', ok: false });
    expect(choice.tried[0]!.reason).toMatch(/gradients off by/);
  });

  it('the smoke test passes on the CPU itself and fails on numbers 1% off', async () => {
    const expected = await cpuReference();
    expect(await smokeTest(expected)).toBeNull();
    expect(await smokeTest(expected.map((a) => a.map((v) => v * 1.01)))).toMatch(/off by/);
    expect(await smokeTest(expected.map((a) => a.map(() => NaN)))).toMatch(/non-finite/);
  });
});

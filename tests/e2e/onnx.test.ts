import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openApp, outputOf } from './app';
import { useAppServer } from './harness';

const app = useAppServer();

/** tests/fixtures/onnx/tiny-cnn.onnx: a torch.onnx.export of a 3×16×16 → 4 CNN (see its README). */
const onnx = readFileSync('tests/fixtures/onnx/tiny-cnn.onnx');

describe('ONNX files in the app', () => {
  it('opens a chosen .onnx file and a dropped one in PyTorch notation; a damaged one is refused and the model kept', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await page
      .locator('input[type="file"]')
      .first()
      .setInputFiles({ name: 'tiny-cnn.onnx', mimeType: 'application/octet-stream', buffer: onnx });
    await expect.poll(() => page.locator('.model-title').textContent()).toBe('tiny-cnn');
    expect(await outputOf(page, '/0/Conv')).toBe('8×16×16');
    expect(await outputOf(page, '/8/Gemm')).toBe('4');

    await page.evaluate(
      ([bytes]) => {
        const data = new DataTransfer();
        data.items.add(new File([new Uint8Array(bytes as number[])], 'cut.onnx'));
        window.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
      },
      [[...onnx.subarray(0, 1500)]],
    );
    await expect
      .poll(() => page.locator('.notice.error').textContent())
      .toContain('cut.onnx: Not a readable ONNX file');
    expect(await page.locator('.model-title').textContent()).toBe('tiny-cnn');
    expect(errors).toEqual([]);
    await page.close();
  });
});

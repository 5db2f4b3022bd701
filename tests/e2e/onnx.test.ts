import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openApp, outputOf } from './app';
import { screenshot, useAppServer } from './harness';

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
    // ONNX names are long ("/6/GlobalAveragePool"): the volumes keep their labels apart.
    const labels = await page.locator('svg.volumes g.volume text.name').evaluateAll((texts) =>
      texts.map((t) => {
        const r = t.getBoundingClientRect();
        return { text: t.textContent, left: r.left, right: r.right };
      }),
    );
    expect(labels.length).toBeGreaterThan(5);
    for (const [i, a] of labels.slice(1).entries())
      expect(a.left, `${labels[i]?.text} runs into ${a.text}`).toBeGreaterThanOrEqual(labels[i]!.right);
    await screenshot(page, 'onnx-tiny-cnn-1280x800');

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

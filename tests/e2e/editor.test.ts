import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toProjectFile } from '../../src/io/project/format';
import { readModelText } from '../../src/io/read-model';
import { modelFromHash } from '../../src/io/share-url';
import { presetModel } from '../../src/presets';
import { openApp, openPalette, outputOf, pickPreset, row, selectLayer, typeField } from './app';
import { screenshot, seriousAxeViolations, serveRoutes, useAppServer } from './harness';

const app = useAppServer();

describe('the editor, as a learner uses it', () => {
  it('builds the MNIST stack by clicking and reads the 64×32×5×5 kernel, then 5×5×32×64 in Keras notation', async () => {
    // The palette's Conv2D has no padding, as in Keras and PyTorch: 28 → 24 → pool 12 → 8.
    const { page, errors } = await openApp(app.browser, app.url);
    await page.getByRole('button', { name: 'New', exact: true }).click();
    await selectLayer(page, 'input');
    await typeField(page, 'shape', '1, 28, 28');
    await openPalette(page);
    await page.getByRole('button', { name: 'Conv2D', exact: true }).click();
    await typeField(page, 'kernel_size', '5');
    await page.getByRole('button', { name: 'MaxPooling2D', exact: true }).click();
    await page.getByRole('button', { name: 'Conv2D', exact: true }).click();
    await typeField(page, 'out_channels', '64');
    await typeField(page, 'kernel_size', '5');
    expect(await outputOf(page, 'conv2d_1')).toBe('64×8×8');
    expect(await row(page, 'conv2d_1').locator('[data-col="weights"]').textContent()).toBe('64×32×5×5 · 64');
    expect(await page.locator('.inspector .facts').textContent()).toContain('64×32×5×5 weight');
    expect(await page.getByTestId('why').textContent()).toContain('64 filters, each 32×5×5');
    await screenshot(page, 'editor-mnist-built-1280x800');

    await page.getByRole('radio', { name: /Keras/ }).check();
    expect(await row(page, 'conv2d_1').locator('[data-col="weights"]').textContent()).toBe('5×5×32×64 · 64');
    expect(await outputOf(page, 'conv2d_1')).toBe('8×8×64');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('an impossible kernel is flagged at the field; the model and the page stay as they were', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await pickPreset(page, 'mnist');
    await selectLayer(page, 'conv2');
    await typeField(page, 'kernel_size', '-3');
    await expect
      .poll(() => page.locator('.layer-form .field-error').textContent())
      .toBe('kernel size must be at least 1');
    expect(
      await page.locator('.layer-form').getByLabel('kernel_size', { exact: true }).getAttribute('aria-invalid'),
    ).toBe('true');
    expect(await outputOf(page, 'conv2')).toBe('64×14×14');
    await typeField(page, 'kernel_size', 'abc');
    expect(await page.locator('.layer-form .field-error').count()).toBe(1);
    await screenshot(page, 'editor-invalid-field-1280x800');
    // A valid but impossible size: the model takes it and explains the problem at the layer.
    await typeField(page, 'padding', 'valid');
    await typeField(page, 'kernel_size', '15');
    await expect.poll(() => page.locator('.inspector .problems').textContent()).toContain('Output height would be 0');
    expect(await row(page, 'conv2').getAttribute('class')).toContain('has-error');
    await page.locator('.inspector').getByRole('button', { name: "Use 'same' padding" }).click();
    expect(await outputOf(page, 'conv2')).toBe('64×14×14');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a shared link reopens exactly the same model; back and forward step through edits; undo and redo', async () => {
    const { page } = await openApp(app.browser, app.url);
    // The link follows each edit once the user pauses (it is written when the page is idle).
    const linked = (names: string[]) =>
      expect
        .poll(() => modelFromHash(new URL(page.url()).hash))
        // c3's 20 filters too: the preset's own link has the same layer names.
        .toMatchObject({
          ok: true,
          model: { layers: names.map((name) => (name === 'c3' ? { name, spec: { filters: 20 } } : { name })) },
        });
    await pickPreset(page, 'lenet5');
    await selectLayer(page, 'c3');
    await typeField(page, 'out_channels', '20');
    await linked(['input', 'c1', 's2', 'c3', 's4', 'flatten', 'f5', 'f6', 'output']);
    await openPalette(page);
    await page.getByRole('button', { name: 'Dropout', exact: true }).click();
    await linked(['input', 'c1', 's2', 'c3', 'dropout', 's4', 'flatten', 'f5', 'f6', 'output']);
    const shared = page.url();
    const other = await openApp(app.browser, shared);
    expect(
      await other.page.locator('.rows li.layer-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-row'))),
    ).toEqual(['input', 'c1', 's2', 'c3', 'dropout', 's4', 'flatten', 'f5', 'f6', 'output']);
    expect(await outputOf(other.page, 'c3')).toBe('20×10×10');
    await other.page.close();

    await page.goBack();
    await expect.poll(() => row(page, 'dropout').count()).toBe(0);
    expect(await outputOf(page, 'c3')).toBe('20×10×10');
    await page.goForward();
    await expect.poll(() => row(page, 'dropout').count()).toBe(1);
    await page.locator('body').press('Control+z');
    await expect.poll(() => row(page, 'dropout').count()).toBe(0);
    await page.locator('body').press('Control+Shift+z');
    await expect.poll(() => row(page, 'dropout').count()).toBe(1);
    await page.close();
  });

  it('reorders layers by keyboard and repairs a broken residual with one click', async () => {
    const { page } = await openApp(app.browser, app.url);
    await pickPreset(page, 'mnist');
    const handle = row(page, 'pool1').locator('.handle');
    // dnd-kit announces each step to screen readers; wait for each announcement as a user would.
    const announced = (text: string) =>
      expect
        .poll(() =>
          page
            .locator('[role="status"][aria-live="assertive"]')
            .allTextContents()
            .then((t) => t.join(' ')),
        )
        .toContain(text);
    await handle.focus();
    await page.keyboard.press('Space');
    await announced('Picked up pool1, layer 3 of 9.');
    await page.keyboard.press('ArrowUp');
    await announced('pool1 is over conv1: dropping it here puts it above conv1, as layer 2 of 9.');
    await page.keyboard.press('Space');
    await expect
      .poll(() =>
        page.locator('.rows li.layer-row').evaluateAll((r) => r.slice(0, 3).map((x) => x.getAttribute('data-row'))),
      )
      .toEqual(['input', 'pool1', 'conv1']);
    expect(await outputOf(page, 'conv1')).toBe('32×14×14');
    await row(page, 'conv1').locator('.row-main').focus();
    await page.keyboard.press('Alt+ArrowUp');
    expect(
      await page.locator('.rows li.layer-row').evaluateAll((r) => r.slice(0, 3).map((x) => x.getAttribute('data-row'))),
    ).toEqual(['input', 'conv1', 'pool1']);

    // And with the mouse: drag pool2 by its handle above conv2.
    const order = () => page.locator('.rows li.layer-row').evaluateAll((r) => r.map((x) => x.getAttribute('data-row')));
    const from = (await row(page, 'pool2').locator('.handle').boundingBox())!;
    const to = (await row(page, 'conv2').boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2, from.y - 10, { steps: 5 });
    await page.mouse.move(from.x + from.width / 2, to.y + 4, { steps: 10 });
    await page.mouse.up();
    await expect.poll(order).toEqual(['input', 'conv1', 'pool1', 'pool2', 'conv2', 'flatten', 'fc1', 'dropout', 'fc2']);
    expect(await outputOf(page, 'conv2')).toBe('64×7×7');

    await pickPreset(page, 'flatten-dense');
    await page.getByRole('button', { name: 'Replace Flatten with GlobalAveragePooling2D' }).first().click();
    await expect.poll(() => page.locator('.problems').count()).toBe(0);
    expect(await outputOf(page, 'classifier')).toBe('10');
    await page.close();
  });

  it('opens a model from ?src= on another origin, and refuses hostile sources keeping the model', async () => {
    const files = await serveRoutes({
      '/lenet.json': { body: JSON.stringify(toProjectFile(presetModel('lenet5'))) },
      '/page.html': { type: 'text/html', body: '<html><script>window.parent.hacked = true</script></html>' },
      '/wrong.json': { body: '{"hello": "world"}' },
      '/huge.json': { body: Buffer.alloc(20 * 1024 * 1024, 32) },
    });
    try {
      const ok = await openApp(app.browser, `${app.url}?src=${encodeURIComponent(`${files.origin}/lenet.json`)}`);
      await expect.poll(() => ok.page.locator('.model-title').textContent()).toBe('LeNet-5');
      await ok.page.close();
      for (const [path, message] of [
        ['/page.html', 'is a web page (HTML), not a model file'],
        ['/wrong.json', 'Not a model file ConvScope knows'],
        ['/huge.json', 'is too large'],
        ['/missing.json', 'answered 404'],
      ] as const) {
        const { page, errors } = await openApp(
          app.browser,
          `${app.url}?src=${encodeURIComponent(files.origin + path)}`,
        );
        await expect.poll(() => page.locator('.notice.error').textContent(), { timeout: 20_000 }).toContain(message);
        expect(await page.locator('.model-title').textContent()).toBe('ResNet-20 (option A)');
        expect(await page.evaluate(() => (window as unknown as { hacked?: boolean }).hacked)).toBeUndefined();
        expect(errors.filter((e) => !e.includes('404'))).toEqual([]);
        if (path === '/huge.json') await screenshot(page, 'editor-bad-src-1280x800');
        await page.close();
      }
    } finally {
      await files.close();
    }
  });

  it('a corrupted link hash says so and shows the default model', async () => {
    const { page, errors } = await openApp(app.browser, `${app.url}#m=N4IgLgpg7gTghgNwF4C8A`);
    await expect.poll(() => page.locator('.notice.error').textContent()).toContain('damaged');
    expect(await page.locator('.model-title').textContent()).toBe('ResNet-20 (option A)');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('pastes Keras JSON', async () => {
    const { page } = await openApp(app.browser, app.url);
    await page.getByRole('button', { name: 'Paste…' }).click();
    const keras = {
      class_name: 'Sequential',
      config: {
        name: 'pasted',
        layers: [
          { class_name: 'InputLayer', config: { batch_input_shape: [null, 8, 8, 3] } },
          { class_name: 'Conv2D', config: { name: 'c', filters: 4, kernel_size: [3, 3] } },
        ],
      },
    };
    await page.getByLabel('Model JSON').fill(JSON.stringify(keras));
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => page.locator('.model-title').textContent()).toBe('pasted');
    expect(await outputOf(page, 'c')).toBe('4×6×6');
    await page.close();
  });

  it('is accessible (axe-core) and looks right at 1280×800 and 400×600', async () => {
    const { page } = await openApp(app.browser, app.url);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'editor-1280x800');
    await page.getByRole('tab', { name: 'Table' }).click();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'editor-table-1280x800');
    await page.close();
    const small = await openApp(app.browser, app.url, 400, 600);
    await screenshot(small.page, 'editor-400x600');
    expect(
      await small.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    ).toBeLessThanOrEqual(0);
    await small.page.getByRole('tab', { name: 'Table' }).click();
    await small.page.getByRole('table').scrollIntoViewIfNeeded();
    await screenshot(small.page, 'editor-table-400x600');
    await small.page.close();
  });
});

describe('files and autosave', () => {
  it('opens a file, opens a dropped file, saves a file that reopens the same model, and restores the last model after a reload', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    const lenet = JSON.stringify(toProjectFile(presetModel('lenet5')));
    await page
      .locator('input[type="file"]')
      .setInputFiles({ name: 'lenet.json', mimeType: 'application/json', buffer: Buffer.from(lenet) });
    await expect.poll(() => page.locator('.model-title').textContent()).toBe('LeNet-5');

    const keras = readFileSync('tests/fixtures/keras/keras2-sequential.json', 'utf8');
    await page.evaluate((text) => {
      const data = new DataTransfer();
      data.items.add(new File([text], 'mnist_keras.json', { type: 'application/json' }));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    }, keras);
    await expect.poll(() => page.locator('.model-title').textContent()).toBe('mnist_cnn');
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.items.add(new File(['not json at all'], 'notes.txt', { type: 'text/plain' }));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    await expect.poll(() => page.locator('.notice.error').textContent()).toContain('notes.txt: Not valid JSON');
    expect(await page.locator('.model-title').textContent()).toBe('mnist_cnn');

    const [saved] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Save' }).click(),
    ]);
    expect(saved.suggestedFilename()).toBe('mnist_cnn.convscope.json');
    const read = readModelText(readFileSync((await saved.path())!, 'utf8'));
    expect(read.ok && read.model.layers.map((l) => l.name)).toEqual([
      'conv2d_input',
      'conv2d',
      'max_pooling2d',
      'conv2d_1',
      'max_pooling2d_1',
      'flatten',
      'dense',
      'dropout',
      'dense_1',
    ]);

    await page.goto(app.url);
    await expect.poll(() => page.locator('.model-title').textContent()).toBe('mnist_cnn');
    expect(errors).toEqual([]);
    await page.close();
  });
});

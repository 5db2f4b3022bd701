import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openApp, pickPreset, row } from './app';
import { screenshot, useAppServer } from './harness';

const app = useAppServer();

describe('pictures of the model', () => {
  it('draws each activation as a volume with its kernel, selects layers from it, and exports SVG and PNG', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await pickPreset(page, 'vgg16');
    const view = page.locator('.volume-view');
    await view.scrollIntoViewIfNeeded();
    const boxes = view.locator('g.volume');
    await expect.poll(() => boxes.count()).toBe(23);
    expect(await view.locator('g.volume[data-layer="block1_conv1"] text.shape').textContent()).toBe('64×224×224');
    expect(await view.locator('g.volume[data-layer="block5_conv3"] text.kernel-label').textContent()).toBe(
      '512 × 512×3×3',
    );
    // Sizes follow the shapes: the 224×224 map is drawn taller than the 7×7 one.
    const height = (name: string) =>
      view
        .locator(`g.volume[data-layer="${name}"] rect.front`)
        .evaluate((r) => (r as SVGRectElement).height.baseVal.value);
    expect(await height('block1_conv1')).toBeGreaterThan(await height('block5_pool'));
    await view.locator('g.volume[data-layer="block3_pool"] rect.front').click();
    await expect.poll(() => row(page, 'block3_pool').getAttribute('class')).toContain('selected');
    await view.screenshot({ path: 'test-results/volumes-vgg16.png' });

    const [svg] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export SVG' }).click(),
    ]);
    expect(svg.suggestedFilename()).toBe('VGG16-volumes.svg');
    const text = readFileSync((await svg.path())!, 'utf8');
    expect(text.startsWith('<svg')).toBe(true);
    expect(text).toContain('64×224×224');
    expect(text).toContain('fill:');
    const [png] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export PNG' }).click(),
    ]);
    expect(png.suggestedFilename()).toBe('VGG16-volumes.png');
    expect(
      readFileSync((await png.path())!)
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('draws skip connections as arcs beside the stack, and folds ResNet stages', async () => {
    const { page } = await openApp(app.browser, app.url);
    await page.getByRole('button', { name: 'Paste…' }).click();
    await page
      .getByLabel('Model JSON')
      .fill(readFileSync('tests/fixtures/keras/keras2-functional-residual.json', 'utf8'));
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => page.locator('.model-title').textContent()).toBe('resblock');
    // proj reads input_1 (two rows up) and add reads bn_proj and bn_b: three arcs.
    await expect.poll(() => page.locator('.skip-arcs path.arc').count()).toBe(3);
    await row(page, 'add').locator('.row-main').click();
    expect(await page.locator('.skip-arcs path.arc.active').count()).toBe(2);
    // conv_a and proj both read input_1: their kernels' labels are stacked, not drawn over each other.
    const labels = await page.locator('svg.volumes text.kernel-label').evaluateAll((texts) =>
      texts
        .filter((t) => t.textContent)
        .map((t) => {
          const r = t.getBoundingClientRect();
          return { text: t.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom };
        }),
    );
    expect(labels.map((l) => l.text).sort()).toEqual(['32 × 16×1×1', '32 × 16×3×3', '32 × 32×3×3']);
    for (const [i, a] of labels.entries())
      for (const b of labels.slice(i + 1)) {
        const apart = a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
        expect(apart, `${a.text} and ${b.text} overlap`).toBe(true);
      }
    await screenshot(page, 'editor-residual-arcs-1280x800');

    await pickPreset(page, 'resnet56-a');
    const stage2 = page.getByRole('button', { name: /^stage2 ·/ });
    await stage2.click();
    expect(await stage2.getAttribute('aria-expanded')).toBe('false');
    expect(await row(page, 'stage2_block5').count()).toBe(0);
    expect(await row(page, 'stage3_block1').count()).toBe(1);
    await stage2.click();
    expect(await row(page, 'stage2_block5').count()).toBe(1);
    await page.close();
  });
});

describe('a 3-D (video) model', () => {
  it('opens from the Keras JSON tfjs writes, draws its volumes, and says where a picture is for 1-D and 2-D layers only', async () => {
    // The real tool's JSON: a tfjs-layers model with Conv3D and 3-D pooling, `model.toJSON()`.
    const tf = await import('@tensorflow/tfjs');
    const net = tf.sequential({ name: 'video_net' });
    net.add(
      tf.layers.conv3d({ name: 'conv1', inputShape: [8, 32, 32, 3], filters: 8, kernelSize: 3, padding: 'same' }),
    );
    net.add(tf.layers.maxPooling3d({ name: 'pool1', poolSize: [1, 2, 2] }));
    net.add(tf.layers.conv3d({ name: 'conv2', filters: 16, kernelSize: [3, 3, 3], strides: [2, 1, 1] }));
    net.add(tf.layers.averagePooling3d({ name: 'pool2', poolSize: 2 }));
    net.add(tf.layers.flatten({ name: 'flat' }));
    net.add(tf.layers.dense({ name: 'out', units: 4 }));
    const json = JSON.stringify(net.toJSON(null, false));
    const params = net.countParams();
    net.dispose();

    const { page, errors } = await openApp(app.browser, app.url);
    await page.getByRole('button', { name: 'Paste…' }).click();
    await page.getByLabel('Model JSON').fill(json);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => page.locator('.model-title').textContent()).toBe('video_net');
    // conv2: depth (8 − 3)/2 + 1 = 3, height and width 16 − 3 + 1 = 14; the list writes channels first.
    expect(await row(page, 'conv2').locator('[data-col="output"]').textContent()).toBe('16×3×14×14');
    await expect.poll(() => page.locator('body').textContent()).toContain(params.toLocaleString('en-US'));

    const view = page.locator('.volume-view');
    await view.scrollIntoViewIfNeeded();
    expect(await view.locator('g.volume[data-layer="conv1"] text.shape').textContent()).toBe('8×8×32×32');
    expect(await view.locator('g.volume[data-layer="conv2"] text.kernel-label').textContent()).toBe('16 × 8×3×3×3');
    await view.screenshot({ path: 'test-results/volumes-video-net.png' });

    await row(page, 'conv2').locator('.row-main').click();
    for (const tab of ['Convolution', 'Receptive field', 'Weights', 'Channels']) {
      await page.getByRole('tab', { name: tab, exact: true }).click();
      await expect
        .poll(() => page.locator('#figure-panel .layer-choice').textContent(), { message: tab })
        .toContain(
          'conv2 (Conv3D) works on 3-D volumes (depth × height × width). This picture is drawn for 1-D and 2-D layers',
        );
      // Nothing else in this model is drawn there either: no "Pick a 1-D or 2-D layer:" over an empty list.
      expect(await page.locator('#figure-panel .layer-choice').textContent()).toMatch(
        /per axis\. This model has no layer this picture draws\.$/,
      );
      expect(await page.locator('#figure-panel .layer-choice button').count()).toBe(0);
    }
    await page.getByRole('tab', { name: 'Feature maps', exact: true }).click();
    await expect.poll(() => page.locator('#figure-panel').textContent()).toContain('This model reads a 3-D volume');
    await page.getByRole('tab', { name: 'Growth', exact: true }).click();
    await page.locator('#figure-panel').scrollIntoViewIfNeeded();
    await screenshot(page, 'video-net-growth-1280x800');
    expect(errors).toEqual([]);
    await page.close();
  });
});

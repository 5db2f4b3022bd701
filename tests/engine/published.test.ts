import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import { presetModel } from '../../src/presets';
import { layerOf } from '../helpers';

const analyzed = (id: string) => analyzeModel(presetModel(id));

/** Numbers published by Keras Applications (keras.io/api/applications) and He et al. 2015. */
describe('published numbers', () => {
  it('VGG16: 138,357,544 parameters and 15,470,264,320 MACs at 224×224', () => {
    const a = analyzed('vgg16');
    expect(a.diagnostics).toEqual([]);
    expect(a.totals.params).toBe(138_357_544);
    expect(a.totals.macs).toBe(15_470_264_320);
  });

  it('VGG16 pool5 receptive field: size 212, jump 32, start −90', () => {
    const field = layerOf(analyzed('vgg16'), 'block5_pool').receptiveField;
    expect(field?.axes).toEqual([
      { size: 212, jump: 32, start: -90 },
      { size: 212, jump: 32, start: -90 },
    ]);
  });

  it('ResNet50: 25,636,712 parameters (25,583,592 trainable)', () => {
    const a = analyzed('resnet50');
    expect(a.diagnostics).toEqual([]);
    expect(a.totals.params).toBe(25_636_712);
    expect(a.totals.trainableParams).toBe(25_583_592);
    expect(layerOf(a, 'conv5_block3').output).toEqual([7, 7, 2048]);
  });

  it('MobileNet: 4,253,864 parameters (4,231,976 trainable)', () => {
    const a = analyzed('mobilenet');
    expect(a.diagnostics).toEqual([]);
    expect(a.totals.params).toBe(4_253_864);
    expect(a.totals.trainableParams).toBe(4_231_976);
  });

  it('ResNet-20 for CIFAR: 269,722 trainable parameters with option A, 272,474 with option B', () => {
    expect(analyzed('resnet20-a').totals.trainableParams).toBe(269_722);
    expect(analyzed('resnet20-b').totals.trainableParams).toBe(272_474);
  });

  it('ResNet-20’s first stage outputs 32×32×16, then 16×16×32 and 8×8×64', () => {
    const a = analyzed('resnet20-a');
    expect(layerOf(a, 'stage1_block3').output).toEqual([32, 32, 16]);
    expect(layerOf(a, 'stage2_block1').output).toEqual([16, 16, 32]);
    expect(layerOf(a, 'stage3_block3').output).toEqual([8, 8, 64]);
  });

  it('deeper CIFAR ResNets follow 6n+2 layers: ResNet-110 has about 1.7 M parameters (He et al., Table 6)', () => {
    const params = analyzed('resnet110-a').totals.trainableParams;
    expect(params).toBeGreaterThan(1_700_000);
    expect(params).toBeLessThan(1_750_000);
    expect(analyzed('resnet56-a').totals.trainableParams).toBeGreaterThan(850_000);
  });
});

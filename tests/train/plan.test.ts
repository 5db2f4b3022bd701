import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import { presetModel } from '../../src/presets';
import { batchLimit, memoryRefusal, stepMemory, suggestBatchSize } from '../../src/train/batch-size';
import {
  aboutDuration,
  imagesPerSecond,
  MAC_SECONDS,
  PARAMETER_SECONDS,
  planRun,
  speedOf,
  TRAIN_IMAGES,
  trainingMacs,
  type Speed,
} from '../../src/train/plan';

const mnist = analyzeModel(presetModel('mnist'));
const resnet20 = analyzeModel(presetModel('resnet20-a'));
const estimate = (perImage: number, perStep: number): Speed => ({
  perImage,
  perStep,
  source: 'estimated',
  trainingMacs: null,
});

describe('the speed a run is planned with', () => {
  it('the MNIST preset: 3 × 13.9 M forward MACs per image and 3.27 M parameters give the 28 images/s measured on WASM', () => {
    // conv1 28·28·32·25 + conv2 14·14·64·800 + fc1 3136·1024 + fc2 1024·10, worked out by hand.
    const forward = 28 * 28 * 32 * 25 + 14 * 14 * 64 * 800 + 3136 * 1024 + 1024 * 10;
    expect(mnist.totals.macs).toBe(forward);
    expect(trainingMacs(mnist)).toBe(3 * forward);
    const speed = speedOf(mnist, null)!;
    expect(speed).toMatchObject({ source: 'estimated', perImage: 3 * forward * MAC_SECONDS });
    expect(speed.perStep).toBeCloseTo(3_274_634 * PARAMETER_SECONDS);
    expect(imagesPerSecond(speed, 64)).toBeGreaterThan(26);
    expect(imagesPerSecond(speed, 64)).toBeLessThan(30);
  });

  it('ResNet-20: slower than the 220 images/s measured on WASM, never faster (a suggestion then ends early)', () => {
    const rate = imagesPerSecond(speedOf(resnet20, null)!, 64);
    expect(rate).toBeGreaterThan(100);
    expect(rate).toBeLessThan(220);
  });

  it('a measured speed replaces the estimate, at the batch it was measured with', () => {
    const speed = speedOf(mnist, { imagesPerSecond: 56, batchSize: 64 })!;
    expect(speed.source).toBe('measured');
    expect(imagesPerSecond(speed, 64)).toBeCloseTo(56);
    // An open input size: no MACs, so only a measurement can plan.
    const open = analyzeModel(presetModel('fcn'));
    expect(open.totals.macs).toBeNull();
    expect(speedOf(open, null)).toBeNull();
    expect(imagesPerSecond(speedOf(open, { imagesPerSecond: 50, batchSize: 32 })!, 32)).toBeCloseTo(50);
  });
});

describe('how long a run takes, and one that ends in about a minute', () => {
  it('MNIST, 3 epochs of all 8,000 digits: about 14 minutes; suggested 512 images an epoch at batch 64, under a minute', () => {
    const speed = speedOf(mnist, null)!;
    const plan = planRun({ epochs: 3, batchSize: 64, samples: undefined, available: TRAIN_IMAGES.mnist }, speed);
    expect(TRAIN_IMAGES.mnist).toBe(8000);
    expect(aboutDuration(plan.fullSeconds)).toBe('about 14 minutes');
    expect(plan.seconds).toBe(plan.fullSeconds);
    // Its time goes into its parameters (2.2 s a step at any batch): a smaller batch would only
    // see fewer images in as many steps, so the batch stays 64.
    expect(plan.suggestion).toMatchObject({ samples: 512, batchSize: 64 });
    expect(plan.suggestion!.seconds).toBeGreaterThan(45);
    expect(plan.suggestion!.seconds).toBeLessThanOrEqual(60);
    expect(aboutDuration(plan.suggestion!.seconds)).toBe('about a minute');
  });

  it('ResNet-20 on CIFAR-10: as many images as fit, in the batch asked (an epoch already has 16 steps)', () => {
    const plan = planRun({ epochs: 3, batchSize: 64, samples: undefined, available: 50_000 }, speedOf(resnet20, null)!);
    expect(plan.suggestion).toMatchObject({ samples: 2688, batchSize: 64 });
    expect(plan.suggestion!.seconds).toBeLessThanOrEqual(60);
  });

  it('a model whose time goes into its images halves the batch until an epoch has 16 steps', () => {
    // 50 ms an image: 400 images fit in an epoch's 20 s, 6 steps of 64, 12 of 32, 25 of 16.
    const plan = planRun({ epochs: 3, batchSize: 64, samples: undefined, available: 8000 }, estimate(0.05, 0));
    expect(plan.suggestion).toEqual({ samples: 400, batchSize: 16, seconds: 60 });
  });

  it('a run that already ends within a minute and a half gets no suggestion', () => {
    const speed = speedOf(mnist, null)!;
    expect(planRun({ epochs: 1, batchSize: 64, samples: 512, available: 8000 }, speed).suggestion).toBeNull();
    expect(
      planRun({ epochs: 3, batchSize: 64, samples: 100, available: 8000 }, estimate(0.01, 0)).suggestion,
    ).toBeNull();
  });

  it('never below one batch of 8, however slow', () => {
    const plan = planRun({ epochs: 10, batchSize: 128, samples: undefined, available: 50_000 }, estimate(10, 0));
    expect(plan.suggestion).toMatchObject({ samples: 8, batchSize: 8 });
  });

  it('words durations in seconds, a minute, minutes or hours', () => {
    expect(aboutDuration(2)).toBe('about 5 seconds');
    expect(aboutDuration(42)).toBe('about 40 seconds');
    expect(aboutDuration(58)).toBe('about a minute');
    expect(aboutDuration(857)).toBe('about 14 minutes');
    expect(aboutDuration(5 * 3600 + 1200)).toBe('about 5.3 hours');
  });
});

/** The tab's budgets (memoryBudget): 1.5 GB where the browser hides the device's memory, 2 GB at most. */
const BUDGETS = [1.5 * 2 ** 30, 2 * 2 ** 30];
const resnet50 = analyzeModel(presetModel('resnet50'));

describe('the first look offers only a batch the run may use', () => {
  it('ResNet-50 on the synthetic set: not 64 (the worker refuses it) but the batch that fits, one batch an epoch at least', () => {
    const speed = speedOf(resnet50, null)!;
    const asked = { epochs: 3, batchSize: 64, samples: undefined, available: TRAIN_IMAGES.synthetic };
    // Without the limit the plan offered batch 64, a step of about 58 GB: refused.
    const unlimited = planRun(asked, speed).suggestion!;
    expect(memoryRefusal(stepMemory(resnet50, 'sgd')!, unlimited.batchSize, BUDGETS[1]!)).toMatch(/Try a batch of 1/);
    for (const budget of BUDGETS) {
      const maxBatch = batchLimit(resnet50, 'sgd', budget, null);
      const plan = planRun({ ...asked, maxBatch }, speed);
      const s = plan.suggestion!;
      expect(s.batchSize).toBeLessThanOrEqual(maxBatch!);
      expect(memoryRefusal(stepMemory(resnet50, 'sgd')!, s.batchSize, budget)).toBeNull();
      expect(s.samples).toBeGreaterThanOrEqual(s.batchSize);
      expect(s.samples % s.batchSize).toBe(0);
      // Each step costs ≈ 17 s of parameter work (25.6 M weights): one image an epoch is what a minute holds.
      expect(s.seconds).toBeLessThanOrEqual(60);
      // WebGPU's suggestion, under the same budget, is never smaller.
      const gpu = suggestBatchSize(
        resnet50,
        { maxStorageBufferBindingSize: 2 ** 27, maxBufferSize: 2 ** 28, budget },
        'sgd',
      );
      expect(gpu.ok && gpu.batchSize).toBeGreaterThanOrEqual(s.batchSize);
    }
  });

  it('a batch past the limit gets a first look even when the run is short, in the largest power of two that fits', () => {
    const asked = { epochs: 1, batchSize: 64, samples: 64, available: 8000 };
    expect(planRun(asked, estimate(0.001, 0)).suggestion).toBeNull();
    const plan = planRun({ ...asked, maxBatch: 40 }, estimate(0.001, 0));
    // 60 s at 1 ms an image: 8,000 images (all of them), in batches of 32.
    expect(plan.suggestion).toMatchObject({ batchSize: 32, samples: 8000 });
    // Not even one image fits: nothing to offer.
    expect(planRun({ ...asked, maxBatch: 0 }, estimate(0.001, 0)).suggestion).toBeNull();
  });

  it('a small model keeps the plan it had: ResNet-20 and MNIST fit batch 64 in either budget', () => {
    for (const [analysis, available] of [
      [resnet20, 50_000],
      [mnist, TRAIN_IMAGES.mnist],
    ] as const) {
      const speed = speedOf(analysis, null)!;
      const asked = { epochs: 3, batchSize: 64, samples: undefined, available };
      for (const budget of BUDGETS) {
        const optimizer = analysis === mnist ? 'adam' : 'sgd';
        const maxBatch = batchLimit(analysis, optimizer, budget, null)!;
        expect(maxBatch).toBeGreaterThanOrEqual(64);
        expect(planRun({ ...asked, maxBatch }, speed)).toEqual(planRun(asked, speed));
      }
    }
  });
});

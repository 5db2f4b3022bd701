import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import { explainLayer } from '../../src/engine/analysis/explain';
import { fixesFor } from '../../src/engine/analysis/fixes';
import type { Analysis } from '../../src/engine/analysis/result';
import { applyEdits } from '../../src/engine/model/edits';
import { writeMessage } from '../../src/engine/text/message';
import { presetModel } from '../../src/presets';
import { analyze, layerOf } from '../helpers';

/** Applies the first (or chosen) fix of the first diagnostic and returns the new analysis. */
function fixFirst(analysis: Analysis, choice = 0) {
  const diagnostic = analysis.diagnostics[0]!;
  const fixes = fixesFor(analysis, diagnostic);
  expect(fixes.length, `a fix for ${diagnostic.code}`).toBeGreaterThan(choice);
  const fix = fixes[choice]!;
  const label = writeMessage(fix.label, analysis.model.dataFormat, 'keras');
  return { fix: { ...fix, label }, after: analyzeModel(applyEdits(analysis.model, fix.edits)) };
}

describe('one-click fixes remove the problem they fix', () => {
  it('Flatten → Dense on an open image size: replace Flatten with global average pooling', () => {
    const { fix, after } = fixFirst(analyzeModel(presetModel('flatten-dense')));
    expect(fix.label).toBe('Replace Flatten with GlobalAveragePooling2D');
    expect(after.diagnostics).toEqual([]);
    expect(after.layers.at(-1)?.output).toEqual([10]);
    // The layer is renamed for its new kind, and what read it reads it under the new name.
    expect(after.model.layers.map((l) => l.name)).not.toContain('flatten');
    const pooled = layerOf(after, 'global_average_pooling2d');
    expect(pooled.spec?.type).toBe('GlobalAveragePooling2D');
    expect(after.layers.find((l) => l.inputs.includes('global_average_pooling2d'))?.spec?.type).toBe('Dense');
  });

  it('a renamed layer takes the first free default name (global_average_pooling2d_1 when taken)', () => {
    const model = presetModel('flatten-dense');
    const taken = applyEdits(model, [{ kind: 'rename', name: model.layers[0]!.name, to: 'global_average_pooling2d' }]);
    const { after } = fixFirst(analyzeModel(taken));
    expect(layerOf(after, 'global_average_pooling2d_1').spec?.type).toBe('GlobalAveragePooling2D');
    expect(layerOf(after, 'global_average_pooling2d').spec?.type).toBe('Input');
  });

  it('a residual Add of mismatched shapes: project the shortcut (option B) or zero-pad it (option A)', () => {
    const broken = analyze([
      { name: 'in', type: 'Input', shape: [32, 32, 16] },
      { name: 'conv', type: 'Conv2D', filters: 32, kernelSize: 3, strides: 2, padding: 'same' },
      { name: 'add', type: 'Add', inputs: ['conv', 'in'] },
    ]);
    const optionB = fixFirst(broken, 0);
    expect(optionB.fix.label).toContain('1×1 convolution, stride 2, 32 filters (option B)');
    expect(optionB.after.diagnostics).toEqual([]);
    expect(layerOf(optionB.after, 'add').output).toEqual([16, 16, 32]);
    expect(layerOf(optionB.after, 'add_projection').params).toBe(16 * 32);
    const optionA = fixFirst(broken, 1);
    expect(optionA.fix.label).toContain('option A');
    expect(optionA.after.diagnostics).toEqual([]);
    expect(optionA.after.totals.params).toBe(broken.totals.params);
  });

  it('a Reshape that should be a Permute becomes Permute(2, 1)', () => {
    const { fix, after } = fixFirst(analyzeModel(presetModel('multi-feature-causal')));
    expect(fix.label).toBe('Replace Reshape with Permute(2, 1)');
    expect(after.diagnostics).toEqual([]);
    expect(layerOf(after, 'permute').spec).toEqual({ type: 'Permute', dims: [2, 1] });
    expect(after.model.layers.map((l) => l.name)).not.toContain('to_steps');
  });

  it("an output that shrinks below 1 and 'causal' on 2-D: use 'same' padding", () => {
    for (const padding of ['valid', 'causal']) {
      const { after } = fixFirst(
        analyze([
          { type: 'Input', shape: [4, 4, 1] },
          { name: 'c', type: 'Conv2D', filters: 2, kernelSize: 7, padding },
        ]),
      );
      expect(after.diagnostics).toEqual([]);
      expect(layerOf(after, 'c').output).toEqual([4, 4, 2]);
    }
  });
});

describe('why this shape', () => {
  const r20 = analyzeModel(presetModel('resnet20-a'));
  const why = (a: Analysis, name: string, notation: 'pytorch' | 'keras' = 'keras') =>
    explainLayer(layerOf(a, name), a.model.dataFormat, notation);

  it('a ResNet’s first convolution: 16 filters, each 3×3×3; padding keeps 32×32', () => {
    expect(why(r20, 'conv1')).toBe(
      '32×32×16: 16 filters, each 3×3×3 (each filter spans all 3 input channels and sums them into one output channel); stride 1 and padding 1 keep 32×32.',
    );
    expect(why(r20, 'conv1', 'pytorch').startsWith('16×32×32: 16 filters')).toBe(true);
  });

  it('a ResNet stage: the block’s filters, its stride and its shortcut', () => {
    expect(why(r20, 'stage1_block1')).toContain('32×32×16: two 3×3 convolutions with 16 filters');
    const stage2 = why(r20, 'stage2_block1');
    expect(stage2).toContain('16×16×32');
    expect(stage2).toContain('stride 2 halves the size (32→16, 32→16)');
    expect(stage2).toContain('pads 16 zero channels (option A)');
  });

  it('pooling, strided convolution, Flatten and Dense give their arithmetic', () => {
    const mnist = analyzeModel(presetModel('mnist'));
    expect(why(mnist, 'pool1')).toBe(
      '14×14×32: the largest value of each 2×2 window, on each channel separately (the 32 channels stay 32); ⌊(28 − 2)/2⌋ + 1 = 14 on each axis.',
    );
    expect(why(mnist, 'conv2')).toContain('64 filters, each 5×5×32');
    expect(why(mnist, 'conv2', 'pytorch')).toContain('64 filters, each 32×5×5');
    expect(why(mnist, 'flatten')).toContain('laid out in one vector of 3,136');
    expect(why(mnist, 'fc1')).toContain('1,024 units, each a weighted sum of all 3,136 input features');
    expect(why(mnist, 'fc1')).toContain('a 3136×1024 kernel');
    expect(why(mnist, 'fc1', 'pytorch')).toContain('a 1024×3136 weight');
    const alex = analyzeModel(presetModel('alexnet'));
    expect(why(alex, 'conv1', 'pytorch')).toContain('⌊(224 + 2 + 2 − 11)/4⌋ + 1 = 55');
  });

  it('dilated causal convolutions say how far the kernel spans', () => {
    const tcn = analyzeModel(presetModel('causal-dilated'));
    expect(why(tcn, 'conv_d4')).toContain("stride 1 and 'causal' padding keep 64");
    expect(why(tcn, 'conv_d4')).toContain('each filter spans all 16 input channels');
  });

  it('a layer that cannot be built says why', () => {
    const broken = analyzeModel(presetModel('flatten-dense'));
    expect(why(broken, 'classifier')).toMatch(/^Not built: Dense needs a fixed number of input features/);
  });
});

describe('teaching presets', () => {
  it('MNIST: the second convolution’s kernel is 64×32×5×5', () => {
    const conv2 = layerOf(analyzeModel(presetModel('mnist')), 'conv2');
    expect(conv2.weights[0]?.pytorch.shape).toEqual([64, 32, 5, 5]);
  });
  it('LeNet-5 has 61,706 parameters; AlexNet (torchvision) 61,100,840', () => {
    expect(analyzeModel(presetModel('lenet5')).totals.params).toBe(61_706);
    const alex = analyzeModel(presetModel('alexnet'));
    expect(alex.totals.params).toBe(61_100_840);
    expect(layerOf(alex, 'pool5').output).toEqual([256, 6, 6]);
  });
  it('the fully convolutional net takes any size; the Flatten + Dense one cannot be built', () => {
    expect(analyzeModel(presetModel('fcn')).ok).toBe(true);
    expect(analyzeModel(presetModel('flatten-dense')).diagnostics.map((d) => d.code)).toEqual(['dense-unknown-input']);
  });
  it('the causal dilated stack looks back 31 steps', () => {
    expect(layerOf(analyzeModel(presetModel('causal-dilated')), 'conv_d8').receptiveField?.axes[0]).toEqual({
      size: 31,
      jump: 1,
      start: -30,
    });
  });
  it('the two-channel net’s filters are 3×3×2', () => {
    expect(layerOf(analyzeModel(presetModel('two-channel')), 'conv1').weights[0]?.keras.shape).toEqual([3, 3, 2, 8]);
  });
});

import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import { diagnosticText } from '../../src/engine/model/diagnostic';
import { importKeras } from '../../src/io/keras/import';
import { layerOf } from '../helpers';

/**
 * A Keras Lambda layer holds Python code: ConvScope says so at the layer and analyses the rest
 * of the model on an output shape from the file or from the user.
 */
function sequential(lambdaConfig: Record<string, unknown>) {
  const read = importKeras({
    class_name: 'Sequential',
    config: {
      name: 's',
      layers: [
        { class_name: 'InputLayer', config: { name: 'x', batch_input_shape: [null, 10, 4] } },
        {
          class_name: 'Lambda',
          config: {
            name: 'fn',
            function: ['4wEAAAAAAAAAAAAAAAEAAAAC', null, null],
            function_type: 'lambda',
            output_shape_type: 'raw',
            ...lambdaConfig,
          },
        },
        { class_name: 'Dense', config: { name: 'head', units: 3 } },
      ],
    },
  });
  if (!read.ok) throw new Error(read.error);
  return read.model;
}

describe('Lambda', () => {
  it('without an output shape: a located message that says why and what to do; nothing after it is guessed', () => {
    const a = analyzeModel(sequential({ output_shape: null }));
    const d = a.diagnostics.find((x) => x.layer === 'fn');
    expect(d).toMatchObject({ severity: 'error', code: 'lambda-unknown' });
    expect(diagnosticText(d!, 'channels_last', 'keras')).toContain('Output shape');
    expect(layerOf(a, 'head').output).toBeNull();
  });

  it("with Keras' output_shape from the file, the layers after it are analysed on it", () => {
    // A Lambda that sums over the steps: 10×4 → 4; Dense(3) then has 4·3 + 3 parameters.
    const a = analyzeModel(sequential({ output_shape: [4] }));
    expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(a.diagnostics.find((d) => d.layer === 'fn')).toMatchObject({ severity: 'warning' });
    expect(layerOf(a, 'fn').output).toEqual([4]);
    expect(layerOf(a, 'head').params).toBe(15);
  });

  it('a shape the user types into the layer is used the same way', () => {
    const model = sequential({ output_shape: null });
    const edited = {
      ...model,
      layers: model.layers.map((l) =>
        l.name === 'fn' ? { ...l, spec: { type: 'Lambda' as const, outputShape: [10, 8] } } : l,
      ),
    };
    const a = analyzeModel(edited);
    expect(layerOf(a, 'head').output).toEqual([10, 3]);
    expect(layerOf(a, 'head').params).toBe(8 * 3 + 3);
  });
});

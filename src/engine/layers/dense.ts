import { z } from 'zod';
import { error } from '../model/diagnostic';
import { bias, denseKernel } from '../model/weights';
import { layoutSlot, message, shapeSlot } from '../text/message';
import { elementCount } from '../shape/shape';
import { activation, units, useBias } from './fields';
import { defineLayer, failed, passThrough } from './kind';
import { spatialRankOf } from './elementwise';

/**
 * Dense (fully connected, PyTorch `Linear`): every output unit is a weighted sum of all the
 * input's last-axis features. Its kernel is in × units, so the input's last size must be known
 * and fixed. On an input with more axes it acts on the last axis at every position (Keras and
 * PyTorch alike). MACs = positions × in × units.
 */
export const dense = defineLayer({
  type: 'Dense',
  template: { units: 10 },
  category: 'dense',
  summary: 'Connects every input feature to every output unit (kernel: in × units).',
  schema: z.strictObject({
    type: z.literal('Dense'),
    units: units('units').describe('Number of outputs.'),
    useBias,
    activation,
  }),
  arity: 'one',
  infer: ({ spec, inputs: [x = []], format }) => {
    const features = x[x.length - 1] ?? null;
    if (features === null) return failed(unknownFeatures(x));
    const positions = elementCount(x.slice(0, -1));
    // Under channels_first the last axis is spatial: the positions' field is no longer local.
    const keepsField = format === 'channels_last' && x.length > 1;
    return {
      ...passThrough([...x.slice(0, -1), spec.units], keepsField ? spatialRankOf(x.length) : 0),
      ...(keepsField ? {} : { field: null }),
      weights: [denseKernel(features, spec.units), ...(spec.useBias ? [bias(spec.units)] : [])],
      macs: positions === null ? null : positions * features * spec.units,
    };
  },
});

function unknownFeatures(x: readonly (number | null)[]) {
  return error(
    'dense-unknown-input',
    message`Dense needs a fixed number of input features, but its input (${shapeSlot(x)}) has an unknown size: after a Flatten it is ${layoutSlot(2)}, and this model leaves the image size open. Its weight matrix (one weight per input feature and unit) is fixed when the model is built, so after a Flatten it only fits one image size; another size fails, as in TensorFlow's "lhs shape= [4608,1024] rhs shape= [2048,1024]" (a kernel built for 4,608 features meets 2,048). Use GlobalAveragePooling2D instead of Flatten (one value per channel, for any size), or end with a 1×1 convolution head (a fully convolutional network), or fix the input size.`,
  );
}

/** Flatten: all axes into one, in the model's memory order (row-major per example). */
export const flatten = defineLayer({
  type: 'Flatten',
  category: 'shape',
  summary: 'Lays every element out in one long vector (H × W × C numbers).',
  schema: z.strictObject({ type: z.literal('Flatten') }),
  arity: 'one',
  infer: ({ inputs: [x = []] }) => ({ ...passThrough([elementCount(x)], 0), field: null }),
});

import type { Model } from '../model/model';
import { shapeIn } from '../notation';

/** The data sets ConvScope trains on: the Train tab's and the exported training script's. */
export type ImageDataset = 'mnist' | 'cifar10' | 'synthetic';

/** One image of each real data set, height × width × channels. */
const IMAGE_SHAPES: readonly { readonly id: ImageDataset; readonly shape: readonly number[] }[] = [
  { id: 'mnist', shape: [28, 28, 1] },
  { id: 'cifar10', shape: [32, 32, 3] },
];

/**
 * The data set a model's input takes as it is: MNIST for one 28×28×1 input (1×28×28 channels
 * first), CIFAR-10 for 32×32×3 (3×32×32), else the synthetic set, which takes any size. Both the
 * Train tab and the exported training script default to it, so a model never starts on data of
 * another shape.
 */
export function fittingDataset(model: Model): ImageDataset {
  const inputs = model.layers.filter((l) => l.spec?.type === 'Input');
  const spec = inputs.length === 1 ? inputs[0]?.spec : undefined;
  if (spec?.type !== 'Input') return 'synthetic';
  const hwc = shapeIn(spec.shape, model.dataFormat, 'keras');
  const fit = IMAGE_SHAPES.find((d) => d.shape.length === hwc.length && d.shape.every((n, i) => hwc[i] === n));
  return fit?.id ?? 'synthetic';
}

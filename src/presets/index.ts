import type { Model } from '../engine/model/model';
import { parseProject } from '../io/project/format';
import { alexnet, lenet5 } from './classics';
import { mobilenet } from './mobilenet';
import { resnet50 } from './resnet50';
import { resnetCifar, type CifarDepth } from './resnet-cifar';
import { causalDilated, flattenDense, fullyConvolutional, mnistCnn, multiFeatureCausal, twoChannel } from './teaching';
import { describeCausal, describeMnist, type PresetText } from './teaching-text';
import type { ProjectFile } from './types';
import { vgg16 } from './vgg16';

export interface Preset {
  readonly id: string;
  readonly title: string;
  /** The palette group it is listed under. */
  readonly section: 'Learn' | 'CIFAR-10 ResNets' | 'Classic networks';
  readonly build: () => ProjectFile;
  /**
   * The title and description an edited copy of this preset still deserves (numbers worked out
   * from its layers), or undefined once it no longer has the preset's shape. Without it, any
   * edit marks the model edited.
   */
  readonly describe?: (model: Model) => PresetText | undefined;
}

const cifar = (depth: CifarDepth, option: 'A' | 'B'): Preset => ({
  id: `resnet${depth}-${option.toLowerCase()}`,
  title: `ResNet-${depth}, option ${option}`,
  section: 'CIFAR-10 ResNets',
  build: () => resnetCifar(depth, option),
});

/** Built-in models, in the order the editor lists them. The first is the app's default. */
export const presets: readonly Preset[] = [
  cifar(20, 'A'),
  cifar(20, 'B'),
  cifar(32, 'A'),
  cifar(32, 'B'),
  cifar(56, 'A'),
  cifar(56, 'B'),
  cifar(110, 'A'),
  cifar(110, 'B'),
  {
    id: 'mnist',
    title: 'MNIST: conv 5×5 ×32 → pool → conv 5×5 ×64',
    section: 'Learn',
    build: mnistCnn,
    describe: describeMnist,
  },
  { id: 'two-channel', title: 'Two stacked matrices (2 channels)', section: 'Learn', build: twoChannel },
  { id: 'fcn', title: 'Fully convolutional: any image size', section: 'Learn', build: fullyConvolutional },
  { id: 'flatten-dense', title: 'Flatten + Dense: one image size only', section: 'Learn', build: flattenDense },
  {
    id: 'causal-dilated',
    title: 'Causal dilated Conv1D (lookback 31)',
    section: 'Learn',
    build: causalDilated,
    describe: describeCausal,
  },
  {
    id: 'multi-feature-causal',
    title: 'Multi-feature causal: Reshape vs Permute',
    section: 'Learn',
    build: multiFeatureCausal,
  },
  { id: 'lenet5', title: 'LeNet-5', section: 'Classic networks', build: lenet5 },
  { id: 'alexnet', title: 'AlexNet (torchvision)', section: 'Classic networks', build: alexnet },
  { id: 'vgg16', title: 'VGG16 (Keras Applications)', section: 'Classic networks', build: vgg16 },
  { id: 'resnet50', title: 'ResNet50 (Keras Applications)', section: 'Classic networks', build: resnet50 },
  { id: 'mobilenet', title: 'MobileNet v1 (Keras Applications)', section: 'Classic networks', build: mobilenet },
];

export function findPreset(id: string): Preset | undefined {
  return presets.find((p) => p.id === id);
}

/** A preset as a model. Presets are valid by construction; a failure here is a bug. */
export function presetModel(id: string): Model {
  const preset = findPreset(id);
  if (!preset) throw new Error(`No preset '${id}'`);
  const read = parseProject(preset.build());
  if (!read.ok) throw new Error(`Preset '${id}' is invalid: ${read.error}`);
  return read.model;
}

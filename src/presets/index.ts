import type { Model } from '../engine/model/model';
import { parseProject } from '../io/project/format';
import { mobilenet } from './mobilenet';
import { resnet50 } from './resnet50';
import { resnetCifar } from './resnet-cifar';
import type { ProjectFile } from './types';
import { vgg16 } from './vgg16';

export interface Preset {
  readonly id: string;
  readonly title: string;
  readonly build: () => ProjectFile;
}

/** Built-in models, in the order the editor lists them. The first is the app's default. */
export const presets: readonly Preset[] = [
  { id: 'resnet20-a', title: 'ResNet-20, CIFAR-10 (option A)', build: () => resnetCifar(20, 'A') },
  { id: 'resnet20-b', title: 'ResNet-20, CIFAR-10 (option B)', build: () => resnetCifar(20, 'B') },
  { id: 'resnet32-a', title: 'ResNet-32, CIFAR-10 (option A)', build: () => resnetCifar(32, 'A') },
  { id: 'resnet56-a', title: 'ResNet-56, CIFAR-10 (option A)', build: () => resnetCifar(56, 'A') },
  { id: 'resnet110-a', title: 'ResNet-110, CIFAR-10 (option A)', build: () => resnetCifar(110, 'A') },
  { id: 'vgg16', title: 'VGG16 (ImageNet, Keras Applications)', build: vgg16 },
  { id: 'resnet50', title: 'ResNet50 (ImageNet, Keras Applications)', build: resnet50 },
  { id: 'mobilenet', title: 'MobileNet v1 (ImageNet, Keras Applications)', build: mobilenet },
];

/** A preset as a model. Presets are valid by construction; a failure here is a bug. */
export function presetModel(id: string): Model {
  const preset = presets.find((p) => p.id === id);
  if (!preset) throw new Error(`No preset '${id}'`);
  const read = parseProject(preset.build());
  if (!read.ok) throw new Error(`Preset '${id}' is invalid: ${read.error}`);
  return read.model;
}

/** The training data: loaders (CIFAR-10, MNIST, synthetic), and batches with augmentation. */
export { loadCifar10, loadCifar10FromUrl, CIFAR10_CLASSES, type Cifar10Options } from './cifar10';
export { loadMnist, MNIST_TEST_PER_DIGIT } from './mnist';
export { synthetic, syntheticWaves, type SyntheticOptions } from './synthetic';
export { makeBatch, batcherFor, type Batch, type BatchOptions } from './batch';
export { mulberry32, permutation, epochBatches, shuffleInPlace, type Rng } from './random';
export { channelStats, type ChannelStats } from './stats';
export { DatasetError, type DatasetErrorKind } from './errors';
export type { ByteSource, LoadProgress } from './byte-source';

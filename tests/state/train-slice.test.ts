import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import { presetModel } from '../../src/presets';
import { DEFAULT_SETTINGS, foldRun, IDLE_RUN, settingsFor, type TrainingRun } from '../../src/state/train-slice';
import { recordOf } from '../../src/state/run-records';
import type { FromWorker } from '../../src/train/protocol';

/** A run asked for with a CIFAR-10 address, after these messages from the worker. */
const after = (messages: FromWorker[]): TrainingRun =>
  messages.reduce(foldRun, {
    ...IDLE_RUN,
    status: 'starting',
    settings: { ...DEFAULT_SETTINGS, dataset: 'cifar10', url: 'http://h/c.tar.gz' },
    modelName: 'Tiny',
  } satisfies TrainingRun);

/** What the Train panel and the embed API take as a run under way (a new one is refused). */
const active = (run: TrainingRun) => ['starting', 'running', 'paused'].includes(run.status);

const waiting: FromWorker = {
  type: 'phase',
  phase: 'data',
  detail: 'Downloading CIFAR-10 from http://h/c.tar.gz — waiting for the server…',
  loaded: 0,
};

describe('a run whose download ends before training', () => {
  it('shows the download as it goes, with its bytes', () => {
    const run = after([
      waiting,
      { type: 'phase', phase: 'data', detail: '…: 1.0 MB of 4.0 MB (25%)', loaded: 1e6, total: 4e6, progress: 0.25 },
    ]);
    expect(run.status).toBe('starting');
    expect(run.phase).toEqual({
      phase: 'data',
      detail: '…: 1.0 MB of 4.0 MB (25%)',
      loaded: 1e6,
      total: 4e6,
      progress: 0.25,
    });
  });

  it('stopped: no longer under way, says so, keeps no record', () => {
    const run = after([waiting, { type: 'stopped', detail: 'Stopped the download: nothing was trained.' }]);
    expect(run).toMatchObject({ status: 'stopped', phase: null, error: null, result: null });
    expect(run.notice).toBe('Stopped the download: nothing was trained.');
    expect(active(run)).toBe(false);
    expect(recordOf(run)).toBeNull();
  });

  it('stalled: an error, no longer under way', () => {
    const run = after([waiting, { type: 'error', message: 'The CIFAR-10 download stalled: …' }]);
    expect(run).toMatchObject({ status: 'error', phase: null, error: 'The CIFAR-10 download stalled: …' });
    expect(active(run)).toBe(false);
  });
});

describe('the data set a run uses', () => {
  const mnist = analyzeModel(presetModel('mnist'));
  const resnet = analyzeModel(presetModel('resnet20-a'));
  it('follows the model until one is picked: MNIST for the MNIST preset, CIFAR-10 for a CIFAR ResNet', () => {
    expect(settingsFor(DEFAULT_SETTINGS, mnist).dataset).toBe('mnist');
    expect(settingsFor(DEFAULT_SETTINGS, resnet).dataset).toBe('cifar10');
    expect(settingsFor(DEFAULT_SETTINGS, analyzeModel(presetModel('vgg16'))).dataset).toBe('synthetic');
  });

  it('a data set the user (or a host page) picked stays, whatever the model', () => {
    const picked = { ...DEFAULT_SETTINGS, dataset: 'synthetic' as const, datasetPicked: true };
    expect(settingsFor(picked, mnist).dataset).toBe('synthetic');
    expect(settingsFor(picked, resnet).dataset).toBe('synthetic');
  });
});

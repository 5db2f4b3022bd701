import { describe, expect, it } from 'vitest';
import { answerHostMessage, RUN_GOING } from '../../src/io/embed-protocol';
import { toProjectFile } from '../../src/io/project/format';
import { presetModel } from '../../src/presets';

const train = { type: 'convscope:train', config: { dataset: 'synthetic', epochs: 2, batchSize: 8 } };

describe('what the app does with a host page’s message', () => {
  it.each(['toString', '__proto__', 'constructor', 'hasOwnProperty', 'valueOf', '__defineGetter__'])(
    'ignores {type: %j}, a name Object.prototype has',
    (type) => {
      expect(answerHostMessage({ type, model: {} }, false)).toEqual({ kind: 'ignore' });
    },
  );

  it.each([null, undefined, 'convscope:load', 42, [], {}, { type: 7 }, { type: 'other-app' }])(
    'ignores %j: not one of ours',
    (data) => {
      expect(answerHostMessage(data, false)).toEqual({ kind: 'ignore' });
    },
  );

  it('says a 50 MB model string is over the 16 MB limit, not that the model is missing', () => {
    const model = `{"layers": [${' '.repeat(50 * 2 ** 20)}]}`;
    expect(answerHostMessage({ type: 'convscope:load', model }, false)).toEqual({
      kind: 'error',
      message:
        'convscope:load: the model sent is 50.0 MB of text; ConvScope reads models up to 16 MB (a model’s JSON is usually well under 1 MB).',
    });
  });

  it('reads a model string of exactly 16 MB', () => {
    const json = JSON.stringify(toProjectFile(presetModel('mnist')));
    const model = json + ' '.repeat(16 * 2 ** 20 - json.length);
    const action = answerHostMessage({ type: 'convscope:load', model }, false);
    expect(action.kind).toBe('load');
  });

  it('says what a load needs when the model is neither an object nor a string', () => {
    expect(answerHostMessage({ type: 'convscope:load', model: 42 }, false)).toEqual({
      kind: 'error',
      message: 'convscope:load needs a "model": the model file as an object or a JSON string.',
    });
  });

  it.each(['https://data.example.org/cifar-10-binary.tar.gz', 'data/cifar.tar.gz', '/x/cifar.tar.gz', '../c.tar.gz'])(
    'takes a CIFAR-10 url %j: http(s), or relative to the app (resolved where the run starts)',
    (url) => {
      const message = { ...train, config: { ...train.config, dataset: 'cifar10', url } };
      expect(answerHostMessage(message, false)).toEqual({ kind: 'train', config: message.config });
    },
  );

  it.each(['javascript:alert(1)', 'data:application/gzip;base64,AA==', 'file:///etc/passwd', 'ftp://x/c.tar.gz', ''])(
    'refuses a CIFAR-10 url %j, saying which field',
    (url) => {
      const action = answerHostMessage({ ...train, config: { ...train.config, url } }, false);
      expect(action.kind).toBe('error');
      expect(action.kind === 'error' && action.message).toMatch(/^convscope:train: config\.url: /);
    },
  );

  it('refuses a train while a run starts or goes in one wording, and starts one otherwise', () => {
    expect(answerHostMessage(train, true)).toEqual({ kind: 'error', message: RUN_GOING });
    expect(answerHostMessage(train, false)).toEqual({ kind: 'train', config: train.config });
  });

  it('quotes at most 1,000 characters of a host’s field names back to it', () => {
    const config = { ...train.config, [`x${'k'.repeat(100_000)}`]: 1 };
    const action = answerHostMessage({ type: 'convscope:train', config }, false);
    expect(action.kind).toBe('error');
    if (action.kind === 'error') {
      expect(action.message.startsWith('convscope:train: config: Unrecognized key')).toBe(true);
      expect(action.message.length).toBe(1000);
    }
  });
});

import { z } from 'zod';
import type { Model } from '../engine/model/model';
import { MAX_MODEL_BYTES, readModelData, readModelText } from './read-model';
import { sizeText } from './size-text';
import type { SummaryJson } from './summary/json';

/**
 * The embed API (a contract with host pages; see docs/embed-api.md). Every incoming message is
 * validated; anything else, including messages of other apps on the page, is ignored.
 */
export const EMBED_API_VERSION = '1';

const loadMessage = z.object({
  type: z.literal('convscope:load'),
  model: z.union([z.string(), z.record(z.string(), z.unknown())]),
});

const count = (max: number) => z.number().int().min(1).max(max);

const trainMessage = z.object({
  type: z.literal('convscope:train'),
  config: z.strictObject({
    dataset: z.enum(['mnist', 'cifar10', 'synthetic']),
    // Absolute http(s), or relative to the app's address (resolved where the run starts, as ?src= is).
    url: z
      .string()
      .min(1)
      .max(2048)
      .refine((url) => !/^[a-z][a-z0-9+.-]*:/i.test(url) || /^https?:\/\//i.test(url), {
        error: 'must be an http(s) address, or one relative to the app’s',
      })
      .optional(),
    epochs: count(200),
    batchSize: count(1024),
    backend: z.enum(['webgpu', 'webgl', 'wasm', 'cpu']).optional(),
    maxTrainSamples: count(1_000_000).optional(),
    maxTestSamples: count(1_000_000).optional(),
  }),
});

const stopMessage = z.object({ type: z.literal('convscope:stop') });

export type HostMessage = z.infer<typeof loadMessage> | z.infer<typeof trainMessage> | z.infer<typeof stopMessage>;
export type TrainRequest = z.infer<typeof trainMessage>['config'];

export type AppMessage =
  | { type: 'convscope:ready'; version: string }
  | { type: 'convscope:summary'; summary: SummaryJson }
  | { type: 'convscope:error'; message: string }
  | {
      type: 'convscope:progress';
      epoch: number;
      step: number;
      loss: number;
      accuracy: number;
      imagesPerSecond: number;
      backend: string;
    }
  | {
      type: 'convscope:trained';
      testAccuracy: number | null;
      backend: string;
      imagesPerSecond: number;
      seconds: number;
    };

/** The messages ConvScope understands, by type: a Map, so `toString` or `__proto__` is no type of ours. */
const schemas: ReadonlyMap<string, z.ZodType<HostMessage>> = new Map<string, z.ZodType<HostMessage>>([
  ['convscope:load', loadMessage],
  ['convscope:train', trainMessage],
  ['convscope:stop', stopMessage],
]);

/** Replies quote the host's own field names, values and layer names; this keeps them short. */
export const MAX_REPLY_CHARS = 1000;
export const shortened = (text: string) =>
  text.length > MAX_REPLY_CHARS ? `${text.slice(0, MAX_REPLY_CHARS - 1)}…` : text;

/** What went wrong with a message of ours, for the host's developer: the field and the rule. */
function problemOf(type: string, error: z.ZodError): string {
  if (type === 'convscope:load') return 'convscope:load needs a "model": the model file as an object or a JSON string.';
  const issue = error.issues[0];
  return shortened(`${type}: ${issue ? `${issue.path.join('.') || 'message'}: ${issue.message}` : 'invalid message'}`);
}

/**
 * A host message ConvScope understands, `{ invalid }` for one of ours that cannot be used (worth
 * an error reply; `invalid` is that reply, saying what is wrong), or `null` for anything else
 * (ignored).
 */
export function parseHostMessage(data: unknown): HostMessage | { invalid: string; type: string } | null {
  if (typeof data !== 'object' || data === null) return null;
  const type = (data as { type?: unknown }).type;
  if (typeof type !== 'string') return null;
  const schema = schemas.get(type);
  if (schema === undefined) return null;
  const model = type === 'convscope:load' ? (data as { model?: unknown }).model : undefined;
  if (typeof model === 'string' && model.length > MAX_MODEL_BYTES) {
    return {
      invalid: `convscope:load: the model sent is ${sizeText(model.length)} of text; ConvScope reads models up to ${sizeText(MAX_MODEL_BYTES)} (a model’s JSON is usually well under 1 MB).`,
      type,
    };
  }
  const parsed = schema.safeParse(data);
  return parsed.success ? parsed.data : { invalid: problemOf(type, parsed.error), type };
}

/** The reply to a `convscope:train` while a run is starting or going, whichever it is. */
export const RUN_GOING = 'convscope:train: a run is already going; send convscope:stop first.';

/** What the app does with a host message: nothing, answer with an error, or act. */
export type HostAction =
  | { readonly kind: 'ignore' }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'load'; readonly model: Model }
  | { readonly kind: 'train'; readonly config: TrainRequest }
  | { readonly kind: 'stop' };

/**
 * The app's answer to anything a host page posts: `busy` when a run is starting or going (a
 * start asked for and not yet begun counts, so two trains back to back get one answer).
 */
export function answerHostMessage(data: unknown, busy: boolean): HostAction {
  const message = parseHostMessage(data);
  if (message === null) return { kind: 'ignore' };
  if ('invalid' in message) return { kind: 'error', message: message.invalid };
  switch (message.type) {
    case 'convscope:train':
      return busy ? { kind: 'error', message: RUN_GOING } : { kind: 'train', config: message.config };
    case 'convscope:stop':
      return { kind: 'stop' };
    case 'convscope:load': {
      const read = typeof message.model === 'string' ? readModelText(message.model) : readModelData(message.model);
      return read.ok ? { kind: 'load', model: read.model } : { kind: 'error', message: shortened(read.error) };
    }
  }
}

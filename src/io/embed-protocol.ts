import { z } from 'zod';
import type { SummaryJson } from './summary/json';

/**
 * The embed API (a contract with host pages; see docs/embed-api.md). Every incoming message is
 * validated; anything else, including messages of other apps on the page, is ignored.
 */
export const EMBED_API_VERSION = '1';

const loadMessage = z.object({
  type: z.literal('convscope:load'),
  model: z.union([z.string().max(16 * 1024 * 1024), z.record(z.string(), z.unknown())]),
});

const count = (max: number) => z.number().int().min(1).max(max);

const trainMessage = z.object({
  type: z.literal('convscope:train'),
  config: z.strictObject({
    dataset: z.enum(['mnist', 'cifar10', 'synthetic']),
    url: z.url({ protocol: /^https?$/ }).optional(),
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

const schemas = {
  'convscope:load': loadMessage,
  'convscope:train': trainMessage,
  'convscope:stop': stopMessage,
} as const;

/** What went wrong with a message of ours, for the host's developer: the field and the rule. */
function problemOf(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || 'message'}: ${issue.message}` : 'invalid message';
}

/**
 * A host message ConvScope understands, `{ invalid }` for one of ours with the wrong shape (worth
 * an error reply saying what is wrong), or `null` for anything else (ignored).
 */
export function parseHostMessage(data: unknown): HostMessage | { invalid: string; type: string } | null {
  if (typeof data !== 'object' || data === null) return null;
  const type = (data as { type?: unknown }).type;
  if (typeof type !== 'string' || !(type in schemas)) return null;
  const parsed = schemas[type as keyof typeof schemas].safeParse(data);
  return parsed.success ? parsed.data : { invalid: problemOf(parsed.error), type };
}

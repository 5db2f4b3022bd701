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

export type HostMessage = z.infer<typeof loadMessage>;

export type AppMessage =
  | { type: 'convscope:ready'; version: string }
  | { type: 'convscope:summary'; summary: SummaryJson }
  | { type: 'convscope:error'; message: string };

/**
 * A host message ConvScope understands, `'invalid'` for one of ours with the wrong shape (worth
 * an error reply), or `null` for anything else (ignored).
 */
export function parseHostMessage(data: unknown): HostMessage | 'invalid' | null {
  if (typeof data !== 'object' || data === null) return null;
  const type = (data as { type?: unknown }).type;
  if (typeof type !== 'string' || !type.startsWith('convscope:')) return null;
  if (type !== 'convscope:load') return null;
  const parsed = loadMessage.safeParse(data);
  return parsed.success ? parsed.data : 'invalid';
}

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, preview, type PreviewServer } from 'vite';
import { ROOT } from './harness';

/** Builds the site as `npm run build` does, into a new temporary folder; returns the folder. */
export async function buildSite(): Promise<string> {
  const outDir = join(mkdtempSync(join(tmpdir(), 'convscope-dist-')), 'dist');
  await build({
    root: ROOT,
    configFile: `${ROOT}vite.config.ts`,
    logLevel: 'error',
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}

/** `npm run preview` (vite.config.ts's preview headers) on the built site in `outDir`, on a free port. */
export async function previewSite(outDir: string): Promise<{ url: string; server: PreviewServer }> {
  const server = await preview({
    root: ROOT,
    configFile: `${ROOT}vite.config.ts`,
    logLevel: 'error',
    build: { outDir },
    preview: { port: 0, host: '127.0.0.1', strictPort: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  return { url, server };
}

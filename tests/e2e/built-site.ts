import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { build, preview, type PreviewServer } from 'vite';
import { ROOT } from './harness';

/**
 * Builds the site as `npm run build` does, into a new temporary folder; returns the folder.
 * Vitest sets NODE_ENV to 'test', which Vite would follow (React's development build,
 * `import.meta.env.PROD` false): the build runs as production, as `npm run build` does.
 */
export async function buildSite(): Promise<string> {
  const outDir = join(mkdtempSync(join(tmpdir(), 'convscope-dist-')), 'dist');
  const nodeEnv = process.env['NODE_ENV'];
  process.env['NODE_ENV'] = 'production';
  try {
    await build({
      root: ROOT,
      configFile: `${ROOT}vite.config.ts`,
      logLevel: 'error',
      build: { outDir, emptyOutDir: true },
    });
  } finally {
    process.env['NODE_ENV'] = nodeEnv;
  }
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

/** A copy of the built site in `from`, in a new folder, to serve and later replace. */
export function copySite(from: string): string {
  const to = join(mkdtempSync(join(tmpdir(), 'convscope-served-')), 'site');
  cpSync(from, to, { recursive: true });
  return to;
}

/**
 * Replaces the site in `folder` by a new version of it, as a host does when a new build is
 * deployed: the folder's files go and the new ones come. The new version is the same code
 * with every script and style sheet under a new name (as after a dependency upgrade, when every
 * hash changes): the names are changed in every file that refers to them, index.html's revision
 * in the service worker's precache list changes with them, and so does sw.js. None of the
 * version's lazily loaded files are left on the server. Returns the new names by old name.
 */
export function deployNewVersion(folder: string): Map<string, string> {
  const assets = join(folder, 'assets');
  const renamed = new Map(
    readdirSync(assets)
      // MNIST's file is its data, which a new version of the app does not change.
      .filter((name) => /\.(js|css)$/.test(name) && !name.startsWith('mnist-'))
      .map((name) => [name, name.replace(/\.(js|css)$/, 'v2.$1')] as const),
  );
  const escaped = [...renamed.keys()].map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const names = new RegExp(`(?<![\\w-])(${escaped.join('|')})`, 'g');
  const rewrite = (path: string) =>
    writeFileSync(
      path,
      readFileSync(path, 'utf8').replace(names, (name) => renamed.get(name) ?? name),
    );
  for (const [from, to] of renamed) {
    renameSync(join(assets, from), join(assets, to));
    rewrite(join(assets, to));
  }
  rewrite(join(folder, 'index.html'));
  const sw = join(folder, 'sw.js');
  rewrite(sw);
  const manifest = readFileSync(sw, 'utf8');
  const indexEntry = /\{"revision":"([0-9a-f]+)","url":"index\.html"\}/g;
  if (!indexEntry.test(manifest)) throw new Error('index.html is not in sw.js’s precache list as this expects');
  writeFileSync(sw, manifest.replace(indexEntry, '{"revision":"0000$1","url":"index.html"}'));
  return renamed;
}

/** Deletes a folder `buildSite` or `copySite` made, with the temporary folder around it. */
export const removeSite = (folder: string) => rmSync(dirname(folder), { recursive: true, force: true });

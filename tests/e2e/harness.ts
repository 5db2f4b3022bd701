import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll } from 'vitest';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Screenshots and other artifacts of browser tests; kept for people to look at. */
export const ARTIFACTS = `${ROOT}test-results`;

/**
 * The system Chromium: CHROME_PATH, else Debian's /usr/bin/chromium. Browser tests never skip:
 * a missing browser fails here with what to install.
 */
export function chromiumPath(): string {
  const path = process.env['CHROME_PATH'] ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(
      `Chromium not found at ${path}. Install it (Debian/Ubuntu: sudo apt-get install chromium) ` +
        'or set CHROME_PATH to a Chromium or Chrome binary. The browser tests do not skip.',
    );
  }
  return path;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-dev-shm-usage',
      '--enable-unsafe-webgpu',
    ],
  });
}

/** The app served by Vite's dev server on a free port. */
export async function startApp(
  headers: Readonly<Record<string, string>> = {},
): Promise<{ url: string; server: ViteDevServer }> {
  const server = await createServer({
    root: ROOT,
    configFile: `${ROOT}vite.config.ts`,
    logLevel: 'error',
    server: { port: 0, host: '127.0.0.1', headers },
  });
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('Vite did not report a URL');
  return { url, server };
}

/**
 * One Chromium and one app server for a test file, started before its tests and closed after.
 * Read `browser` and `url` inside tests.
 */
export function useAppServer(): { readonly browser: Browser; readonly url: string } {
  let browser: Browser | undefined;
  let server: ViteDevServer | undefined;
  let url = '';
  beforeAll(async () => {
    browser = await launchBrowser();
    ({ url, server } = await startApp());
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    get browser() {
      if (!browser) throw new Error('The browser is not started yet');
      return browser;
    },
    get url() {
      return url;
    },
  };
}

/** Fails the test on any console error or uncaught exception in the page. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: false });
}

/** axe-core's violations of impact serious or critical on the current page. */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: `${ROOT}node_modules/axe-core/axe.min.js` });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: () => Promise<{
            violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
          }>;
        };
      }
    ).axe;
    const result = await axe.run();
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      count: v.nodes.length,
      where: v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(' '))
        .join(', '),
    }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}, ${v.count}×): ${v.help} at ${v.where}`);
}

export interface Route {
  readonly status?: number;
  readonly type?: string;
  readonly body: string | Buffer;
  /** More response headers (a host page's isolation headers). */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A second web server on another origin (another port), for host pages and model files, with
 * CORS open as a static file host would have it.
 */
export async function serveRoutes(
  routes: Record<string, Route>,
): Promise<{ origin: string; close: () => Promise<void> }> {
  const { createServer: createHttpServer } = await import('node:http');
  const server = createHttpServer((req, res) => {
    const route = routes[(req.url ?? '/').split('?')[0] ?? '/'];
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (!route) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    res
      .writeHead(route.status ?? 200, { 'Content-Type': route.type ?? 'application/json', ...route.headers })
      .end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    origin: `http://127.0.0.1:${address.port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Serves a folder (a built site) under `prefix`, as a static host such as GitHub Pages would. */
export async function serveFolder(
  folder: string,
  prefix: string,
  headers: Readonly<Record<string, string>> = {},
): Promise<{ url: string; close: () => Promise<void> }> {
  const { createServer: createHttpServer } = await import('node:http');
  const { readFile } = await import('node:fs/promises');
  const { extname, join, normalize } = await import('node:path');
  const types: Record<string, string> = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.css': 'text/css',
    '.svg': 'image/svg+xml',
    '.webmanifest': 'application/manifest+json',
    '.json': 'application/json',
    '.wasm': 'application/wasm',
  };
  const server = createHttpServer(async (req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    if (!path.startsWith(prefix)) return void res.writeHead(404).end();
    const relative = normalize(path.slice(prefix.length) || 'index.html').replace(/^(\.\.[/\\])+/, '');
    try {
      const body = await readFile(join(folder, relative.endsWith('/') ? `${relative}index.html` : relative));
      res
        .writeHead(200, { 'Content-Type': types[extname(relative)] ?? 'application/octet-stream', ...headers })
        .end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

import type { Browser, Page } from 'playwright-core';
import { threadsFor } from '../../src/train/backend/wasm/threads';
import { collectPageErrors, serveRoutes } from './harness';

/** Opens the app in a fresh browser context (no autosave from other tests). */
export async function openApp(
  browser: Browser,
  url: string,
  width = 1280,
  height = 800,
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width, height } });
  const errors = collectPageErrors(page);
  await page.goto(url);
  await page.locator('.rows').first().waitFor();
  return { page, errors };
}

/**
 * What the Train panel's backend summary and its WASM line say when WASM trains in this page on
 * this machine with the layout it picks: 2 workers, each with half the threads where the page is
 * cross-origin isolated, one thread each where not.
 */
export async function wasmLayoutText(page: Page): Promise<[string, string]> {
  const [cores, isolated] = await page.evaluate(() => [navigator.hardwareConcurrency, crossOriginIsolated] as const);
  if (cores < 2) return ['Backend: WASM, one thread', 'WASM: works, one thread: this machine has one core'];
  const threads = isolated ? Math.max(1, Math.floor(threadsFor(cores) / 2)) : 1;
  const label = threads === 1 ? '2 workers, one thread each' : `2 workers × ${threads} threads`;
  const why = !isolated && threadsFor(cores) >= 4 ? ': more threads need a cross-origin isolated page' : '';
  return [`Backend: WASM, ${label}`, `WASM: works, ${label}${why}`];
}

/** The same for `?wasm=1x2` in the address: one worker on tfjs' threaded build where the page is isolated. */
export async function threadedWasmText(page: Page): Promise<[string, string]> {
  return (await page.evaluate(() => crossOriginIsolated))
    ? ['Backend: WASM, 2 threads', 'WASM: works, 2 threads: as the address asks']
    : [
        'Backend: WASM, one thread',
        'WASM: works, one thread: this page is not cross-origin isolated, which WASM threads need',
      ];
}

/** The row of a layer in the layer list. */
export const row = (page: Page, name: string) => page.locator(`li.layer-row[data-row="${name}"]`);

/** The output shape the layer list shows for a layer. */
export const outputOf = (page: Page, name: string) => row(page, name).locator('[data-col="output"]').textContent();

/** Sets a field of the selected layer as a user types it. */
export async function typeField(page: Page, field: string, value: string): Promise<void> {
  const input = page.locator('.layer-form').getByLabel(field, { exact: true });
  await input.fill(value);
}

export async function selectLayer(page: Page, name: string): Promise<void> {
  await row(page, name).locator('.row-main').click();
}

/** Opens the layer palette ("Add layer" above the list), unless it is open. */
export async function openPalette(page: Page): Promise<void> {
  const button = page.locator('.add-layer');
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
}

/** Opens a built-in model from the Model menu. */
export async function pickPreset(page: Page, id: string): Promise<void> {
  await page.getByRole('combobox', { name: 'Model', exact: true }).selectOption(id);
}

/**
 * A host page on another origin with the app (at `appUrl`) in a 400-pixel iframe; it records
 * the app's messages in `window.messages` and when each came in `window.arrivals` (ms). `originParam` 'self' restricts the app to this host's
 * own origin; in any other value `{self}` stands for the host's origin and `{SELF}` for it in
 * capitals. `extra` is added to the frame's address after `?embed=1&origin=…` (`&src=…`, `#m=…`).
 */
export async function embedHost(appUrl: string, originParam: 'self' | string, extra = '') {
  const appOrigin = new URL(appUrl).origin;
  return serveRoutes({
    '/host.html': {
      type: 'text/html',
      body: `<!doctype html><html lang="en"><head><title>Docs page</title><link rel="icon" href="data:,"></head><body>
<h1>A docs page</h1>
<iframe id="app" title="ConvScope model" width="400" height="600" style="border:1px solid #ccc"></iframe>
<script>
const param = ${JSON.stringify(originParam)};
const allowed = param === 'self' ? location.origin : param.replace('{self}', location.origin).replace('{SELF}', location.origin.toUpperCase());
document.getElementById('app').src = ${JSON.stringify(`${appUrl}?embed=1&origin=`)} + encodeURIComponent(allowed) + ${JSON.stringify(extra)};
window.messages = [];
window.arrivals = [];
window.addEventListener('message', (e) => { if (e.origin === ${JSON.stringify(appOrigin)}) { window.messages.push(e.data); window.arrivals.push(performance.now()); } });
window.send = (m) => document.getElementById('app').contentWindow.postMessage(m, ${JSON.stringify(appOrigin)});
</script></body></html>`,
    },
  });
}

export type HostMessage = { type: string; [key: string]: unknown };

/** The messages the app sent to the host page so far. */
export const hostMessages = (page: Page) =>
  page.evaluate(() => (window as unknown as { messages: HostMessage[] }).messages);

/** When each of those messages reached the host page (performance.now(), ms). */
export const hostArrivals = (page: Page) => page.evaluate(() => (window as unknown as { arrivals: number[] }).arrivals);

/** Posts a message from the host page to the app in its iframe. */
export const sendToApp = (page: Page, message: unknown) =>
  page.evaluate((m) => (window as unknown as { send: (m: unknown) => void }).send(m), message);

/**
 * A cross-origin isolated host page (COOP same-origin, COEP require-corp) at `origin`'s
 * `/host.html` with the app at `appUrl` in an iframe that may be isolated too
 * (`allow="cross-origin-isolated"`), as docs/embed-api.md sets it up for WASM threads.
 */
export function isolatedHost(appUrl: string) {
  return serveRoutes({
    '/host.html': {
      type: 'text/html',
      headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
      body: `<!doctype html><html lang="en"><head><title>Docs page</title></head><body>
<h1>A docs page with threads</h1>
<iframe id="app" title="ConvScope model" width="800" height="600" allow="cross-origin-isolated" src="${appUrl}?embed=1"></iframe>
</body></html>`,
    },
  });
}

import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { lzBomb } from '../io/lz-codes';
import { embedHost, hostMessages as messages, openApp, sendToApp as send, type HostMessage } from './app';
import { collectPageErrors, ROOT, screenshot, seriousAxeViolations, useAppServer } from './harness';

/**
 * What a host page and the person looking at the frame see when the embed API meets bad input:
 * a bad `?origin=`, hostile messages, an oversized model, a failing `?src=`, a share link that
 * would expand past the size limit, two trains at once, a part of the app that fails to load.
 */
const app = useAppServer();

const tinyModel = JSON.parse(readFileSync(`${ROOT}tests/fixtures/train/tiny-cnn.json`, 'utf8'));

/** The host page with the app in its frame, and every error of both (console and uncaught). */
async function openHost(originParam: string, extra = '', hostName = '127.0.0.1') {
  const host = await embedHost(app.url, originParam, extra);
  const page = await app.browser.newPage({ viewport: { width: 900, height: 700 } });
  const errors = collectPageErrors(page);
  await page.goto(`${host.origin.replace('127.0.0.1', hostName)}/host.html`);
  const frame = page.frameLocator('#app');
  await frame.locator('.rows').first().waitFor();
  return { page, frame, errors, close: () => Promise.all([page.close(), host.close()]) };
}

const types = async (page: Page) => (await messages(page)).map((m) => m.type);
const errorsSent = async (page: Page) =>
  (await messages(page)).filter((m) => m.type === 'convscope:error').map((m) => String(m['message']));

describe('?origin=: one web origin, or the app talks to nobody and says why', () => {
  for (const value of ['foo', 'null', '*', 'javascript:alert(1)', 'file:///etc/passwd', '']) {
    it(`refuses ?origin=${value || '(empty)'} with a visible error; the model still shows, nothing is sent or obeyed`, async () => {
      const { page, frame, errors, close } = await openHost(value);
      try {
        const notice = frame.locator('.notice.error');
        await expect.poll(() => notice.textContent()).toContain('?origin=');
        expect(await notice.textContent()).toContain('not a web origin');
        expect(await frame.locator('.model-title').textContent()).toBe('ResNet-20 (option A)');
        await send(page, { type: 'convscope:load', model: tinyModel });
        await page.waitForTimeout(500);
        expect(await messages(page)).toEqual([]);
        expect(await frame.locator('.model-title').textContent()).toBe('ResNet-20 (option A)');
        expect(errors).toEqual([]);
        if (value === 'foo') await screenshot(page, 'embed-bad-origin');
      } finally {
        await close();
      }
    });
  }

  it('reads an origin written with capitals and a path as the origin itself', async () => {
    // The host is opened as http://localhost:…; the frame is told HTTP://LOCALHOST:…/docs/page.html.
    const { page, frame, errors, close } = await openHost('{SELF}/docs/Page.html?x=1', '', 'localhost');
    try {
      await expect.poll(() => types(page)).toEqual(['convscope:ready', 'convscope:summary']);
      await send(page, { type: 'convscope:load', model: tinyModel });
      await expect.poll(() => frame.locator('.model-title').textContent()).toBe(tinyModel.name);
      expect(await frame.locator('.notice.error').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('hostile messages', () => {
  it('ignores messages named after Object.prototype’s properties, and keeps answering', async () => {
    const { page, frame, errors, close } = await openHost('self');
    try {
      await expect.poll(() => types(page)).toEqual(['convscope:ready', 'convscope:summary']);
      for (const type of ['toString', '__proto__', 'constructor', 'hasOwnProperty', 'valueOf'])
        await send(page, { type, model: tinyModel });
      await page.waitForTimeout(300);
      expect(await types(page)).toEqual(['convscope:ready', 'convscope:summary']);
      await send(page, { type: 'convscope:load', model: tinyModel });
      await expect.poll(() => frame.locator('.model-title').textContent()).toBe(tinyModel.name);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('answers a 50 MB model string by saying it is over the 16 MB limit, and keeps the model', async () => {
    const { page, frame, errors, close } = await openHost('self');
    try {
      await expect.poll(() => types(page)).toEqual(['convscope:ready', 'convscope:summary']);
      await page.evaluate(() =>
        (window as unknown as { send: (m: unknown) => void }).send({
          type: 'convscope:load',
          model: `{"layers": [${' '.repeat(50 * 2 ** 20)}]}`,
        }),
      );
      await expect.poll(() => errorsSent(page)).toHaveLength(1);
      expect((await errorsSent(page))[0]).toBe(
        'convscope:load: the model sent is 50.0 MB of text; ConvScope reads models up to 16 MB (a model’s JSON is usually well under 1 MB).',
      );
      expect(await frame.locator('.model-title').textContent()).toBe('ResNet-20 (option A)');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('every error the frame shows reaches the host as convscope:error, once', () => {
  it('a ?src= that fails (404): the frame says so and the host hears it once', async () => {
    const { page, frame, errors, close } = await openHost(
      'self',
      `&src=${encodeURIComponent(`${app.url}missing.json`)}`,
    );
    try {
      const notice = frame.locator('.notice.error');
      await expect.poll(() => notice.textContent()).toContain('missing.json');
      await expect.poll(() => errorsSent(page)).toHaveLength(1);
      expect((await errorsSent(page))[0]).toBe(await notice.locator('span').textContent());
      await page.waitForTimeout(500);
      expect(await types(page)).toEqual(['convscope:ready', 'convscope:summary', 'convscope:error']);
      expect(await frame.locator('.model-title').textContent()).toBe('ResNet-20 (option A)');
      // The 404 itself is the browser's console line, not an error of the app.
      expect(errors.filter((e) => !e.includes('404'))).toEqual([]);
    } finally {
      await close();
    }
  });

  it('an error longer than 1,000 characters reaches the host cut to 1,000, its start intact', async () => {
    const long = `${app.url}missing-${'x'.repeat(3000)}.json`;
    const { page, frame, close } = await openHost('self', `&src=${encodeURIComponent(long)}`);
    try {
      const notice = frame.locator('.notice.error span');
      await expect.poll(() => notice.textContent()).toContain('missing-x');
      const shown = (await notice.textContent()) ?? '';
      expect(shown.length).toBeGreaterThan(1000);
      await expect.poll(() => errorsSent(page)).toHaveLength(1);
      const sent = (await errorsSent(page))[0] ?? '';
      expect(sent).toHaveLength(1000);
      expect(sent).toBe(`${shown.slice(0, 999)}…`);
    } finally {
      await close();
    }
  });

  it('a wrong message is answered once: no second copy from a notice', async () => {
    const { page, close } = await openHost('self');
    try {
      await expect.poll(() => types(page)).toEqual(['convscope:ready', 'convscope:summary']);
      await send(page, { type: 'convscope:load', model: '{"layers": [' });
      await expect.poll(() => errorsSent(page)).toHaveLength(1);
      await page.waitForTimeout(500);
      expect(await errorsSent(page)).toHaveLength(1);
    } finally {
      await close();
    }
  });

  it('a share link that would expand past 16 MB: the frame and the host say so, the default model shows', async () => {
    const { page, frame, errors, close } = await openHost('self', `#m=${lzBomb(23_500)}`);
    try {
      const expected =
        'This link’s model would expand to more than 16 MB; ConvScope stops reading at 16 MB (a model’s JSON is usually well under 1 MB), so the link was not opened.';
      await expect.poll(() => frame.locator('.notice.error span').textContent()).toContain(expected);
      expect(await frame.locator('.model-title').textContent()).toBe('ResNet-20 (option A)');
      await expect.poll(() => types(page)).toEqual(['convscope:ready', 'convscope:summary', 'convscope:error']);
      expect((await errorsSent(page))[0]).toContain(expected);
      expect(errors).toEqual([]);
      await screenshot(page, 'embed-link-too-big');
    } finally {
      await close();
    }
  });

  it('the trainer’s code fails to load: the host hears it once, and the frame shows it', async () => {
    const { page, frame, close } = await openHost('self');
    try {
      await page.route('**/src/ui/train/trainer.ts*', (route) => route.abort());
      await expect.poll(() => types(page)).toEqual(['convscope:ready', 'convscope:summary']);
      await send(page, { type: 'convscope:train', config: { dataset: 'synthetic', epochs: 1, batchSize: 8 } });
      await expect.poll(() => errorsSent(page)).toHaveLength(1);
      const sent = (await errorsSent(page))[0];
      expect(sent).toMatch(/^Training could not be loaded: its code \(trainer\.ts\) did not arrive\./);
      expect(await frame.locator('.notice.error span').textContent()).toBe(sent);
      await page.waitForTimeout(500);
      expect(await errorsSent(page)).toHaveLength(1);
    } finally {
      await close();
    }
  });
});

describe('a share link past the size limit, outside a frame', () => {
  it('a 53 KB link that lz-string would expand to 263 MB: the tab lives, says why, shows the default model', async () => {
    const { page, errors } = await openApp(app.browser, `${app.url}#m=${lzBomb(23_500)}`);
    await expect
      .poll(() => page.locator('.notice.error span').textContent())
      .toBe(
        'This link’s model would expand to more than 16 MB; ConvScope stops reading at 16 MB (a model’s JSON is usually well under 1 MB), so the link was not opened. Showing the default model instead.',
      );
    expect(await page.locator('.model-title').textContent()).toBe('ResNet-20 (option A)');
    // Still answering: the editor works.
    await page.getByRole('tab', { name: 'Table' }).click();
    await page.locator('table').first().waitFor();
    expect(errors).toEqual([]);
    await screenshot(page, 'link-too-big-1280x800');
    await page.close();
  });
});

describe('convscope:train while a run is starting or going', () => {
  it('two trains back to back: one runs, the other is refused in the same words as during the run', async () => {
    const { page, errors, close } = await openHost('self');
    try {
      await expect.poll(() => types(page)).toEqual(['convscope:ready', 'convscope:summary']);
      await send(page, { type: 'convscope:load', model: tinyModel });
      await expect.poll(async () => (await types(page)).filter((t) => t === 'convscope:summary').length).toBe(2);
      const train = { type: 'convscope:train', config: { dataset: 'synthetic', epochs: 50, batchSize: 8 } };
      await page.evaluate((m) => {
        const send = (window as unknown as { send: (m: unknown) => void }).send;
        send(m);
        send(m);
      }, train);
      await expect.poll(() => errorsSent(page)).toHaveLength(1);
      const whileStarting = (await errorsSent(page))[0];
      expect(whileStarting).toBe('convscope:train: a run is already going; send convscope:stop first.');
      await expect.poll(() => types(page), { timeout: 60_000 }).toContain('convscope:progress');
      await send(page, train);
      await expect.poll(() => errorsSent(page)).toHaveLength(2);
      expect((await errorsSent(page))[1]).toBe(whileStarting);
      await send(page, { type: 'convscope:stop' });
      const ended = (m: HostMessage) => m.type === 'convscope:trained';
      await expect.poll(async () => (await messages(page)).some(ended), { timeout: 60_000 }).toBe(true);
      expect(await errorsSent(page)).toHaveLength(2);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 120_000);
});

describe('the embedded frame with an error notice', () => {
  it('is accessible and looks right at 400×600', async () => {
    const { page } = await openApp(app.browser, `${app.url}?embed=1&origin=foo`, 400, 600);
    await page.locator('.notice.error').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'embed-origin-error-400x600');
    await page.close();
  });
});

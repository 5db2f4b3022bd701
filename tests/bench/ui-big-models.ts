/**
 * Part of `npm run bench:ui`: the two large models that once froze the tab, opened as a returning
 * visitor opens them (from the autosave), then rows clicked.
 * - 800 layers with 400-way Adds (about 160,000 skip connections): goal open < 3 s, click < 100 ms;
 * - a 10,000-layer residual stack (the format's limit): goal open < 5 s, click < 200 ms.
 * Open: from navigation until the rows are on screen and the page answers a script.
 * Click: a row's click until the frame showing the new selection (row and inspector) is painted.
 */
import type { Browser, Page } from 'playwright-core';
import { deepStackModel, wideMergeModel } from '../big-models';

const OPENS = 3;
const CLICKS = 9;
/** A page that has not answered after this long is reported as frozen, not waited for. */
const PATIENCE_MS = 180_000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const range = (xs: number[]) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;

export async function benchBigModels(browser: Browser, url: string): Promise<void> {
  const cases = [
    { label: '800 layers, 400-way Adds', model: wideMergeModel(), open: 3000, click: 100 },
    { label: '10,000-layer residual stack', model: deepStackModel(), open: 5000, click: 200 },
  ];
  console.log('Large models, opened from the autosave (a returning visit), 1280×800:');
  for (const c of cases) {
    const text = JSON.stringify(c.model);
    const opens: number[] = [];
    let clicks: number[] = [];
    let drawn = '';
    for (let i = 0; i < OPENS; i++) {
      const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1280, height: 800 } });
      await context.addInitScript((saved) => localStorage.setItem('convscope:autosave', saved), text);
      const page = await context.newPage();
      page.setDefaultTimeout(PATIENCE_MS);
      try {
        await page.goto(url, { timeout: PATIENCE_MS });
        await page.locator('li.layer-row').first().waitFor();
        opens.push((await page.evaluate(() => performance.now())) as number);
        if (i === 0) {
          drawn = (await page.evaluate(() => {
            const note = document.querySelector('.arc-note')?.textContent;
            return `${document.querySelectorAll('.skip-arcs path.arc').length} arcs drawn${note ? `; note: “${note}”` : ''}`;
          })) as string;
          clicks = await clickRows(page);
        }
      } catch (e) {
        console.log(`  ${c.label}: no answer within ${PATIENCE_MS / 1000} s (${(e as Error).message.split('\n')[0]})`);
      } finally {
        await context.close();
      }
    }
    const kb = (text.length / 1024).toFixed(0);
    console.log(`  ${c.label} (${kb} KB): ${drawn}`);
    if (opens.length) {
      console.log(
        `    open:  median ${median(opens).toFixed(0)} ms, range ${range(opens)} ms over ${opens.length} loads (goal < ${c.open} ms)`,
      );
    }
    if (clicks.length) {
      console.log(
        `    click: median ${median(clicks).toFixed(0)} ms, range ${range(clicks)} ms over ${clicks.length} clicks (goal < ${c.click} ms)`,
      );
    }
  }
  console.log('');
}

/** Clicks rows spread over the list (scrolling to each first) and times each until painted. */
async function clickRows(page: Page): Promise<number[]> {
  // Passed as text: tsx's name-keeping helpers do not exist in the page.
  return (await page.evaluate(`(async () => {
    const painted = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    const times = [];
    for (let i = 0; i < ${CLICKS}; i++) {
      const at = ((i * 4) % ${CLICKS}) / ${CLICKS};
      const windowed = document.querySelector('.stack.windowed');
      if (windowed) windowed.scrollTop = windowed.scrollHeight * at;
      else {
        const all = document.querySelectorAll('li.layer-row');
        all[Math.floor(all.length * at)]?.scrollIntoView({ block: 'center' });
      }
      await painted();
      await painted();
      const rows = [...document.querySelectorAll('li.layer-row:not(.selected)')].filter((li) => {
        const box = li.getBoundingClientRect();
        return box.top > 120 && box.bottom < innerHeight - 40;
      });
      const row = rows[Math.floor(rows.length / 2)];
      if (!row) continue;
      const name = row.dataset.row;
      const t0 = performance.now();
      row.querySelector('.row-main').click();
      await painted();
      const shown = document.getElementById('inspector-title')?.textContent === 'Layer ' + name;
      if (shown && row.classList.contains('selected')) times.push(performance.now() - t0);
    }
    return times;
  })()`)) as number[];
}

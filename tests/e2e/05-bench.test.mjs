// The browser benchmark page: prints the first render time and the per-frame work at 10 000× with the largest
// bank. Figures are reported, never asserted (the machine's speed is not the app's behaviour).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp, APP_URL } from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('browser benchmark figures', async () => {
  const app = await openApp(browser);
  const firstRender = Number(await app.locator('#app').getAttribute('data-first-render-ms'));
  await app.context().close();
  const page = await openApp(browser, { url: `${APP_URL}?bench` });
  await page.waitForFunction(() => document.querySelector('#bench-result')?.innerText.startsWith('{'), null, { timeout: 120000 });
  const figures = JSON.parse(await page.locator('#bench-result').innerText());
  figures.first_render_ms = firstRender;
  for (const k of ['first_render_ms', 'frame_work_ms_mean', 'frame_work_ms_p95', 'sim_seconds_per_frame']) {
    assert.equal(typeof figures[k], 'number', k);
  }
  console.log(`BENCH ${JSON.stringify(figures)}`);
  await page.context().close();
});

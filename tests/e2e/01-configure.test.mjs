// The configurator: the demo system's figures come from the core compiled to wasm; changing the bank through
// the UI updates them, and an over-limit bank shows the datasheet's limit in plain words.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp, screenshot } from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const text = (page, sel) => page.locator(sel).innerText();

test('demo bank figures, bank changes and the over-limit error', async () => {
  const page = await openApp(browser);
  // Demo: 4 x Lithium NG 12.8 V 200 Ah in parallel.
  assert.equal(await text(page, '#fig-batteries'), '4');
  assert.match(await text(page, '#fig-voltage'), /^12\.8 V/);
  assert.equal(await text(page, '#fig-capacity'), '800 Ah');
  assert.equal(await text(page, '#fig-energy'), '10.24 kWh');
  assert.match(await text(page, '#bank-verdict'), /within/i);

  // Two in series, three strings: 25.6 V, 600 Ah, 15.36 kWh.
  await page.fill('#bank-series', '2');
  await page.fill('#bank-parallel', '3');
  await page.waitForFunction(() => document.querySelector('#fig-batteries')?.innerText === '6');
  assert.match(await text(page, '#fig-voltage'), /^25\.6 V/);
  assert.equal(await text(page, '#fig-capacity'), '600 Ah');
  assert.equal(await text(page, '#fig-energy'), '15.36 kWh');

  // 51.2 V batteries: at most 25 per smallBMS NG (datasheet). 26 must be refused in plain words.
  const v512 = await page.$eval('#bank-model', (s) => [...s.options].find((o) => o.text.includes('51.2 V'))?.value);
  assert.ok(v512, 'the catalogue offers a 51.2 V model');
  await page.selectOption('#bank-model', v512);
  await page.fill('#bank-series', '1');
  await page.fill('#bank-parallel', '26');
  await page.waitForFunction(() => document.querySelector('#fig-batteries')?.innerText === '26');
  const verdict = await text(page, '#bank-verdict');
  assert.match(verdict, /26/);
  assert.match(verdict, /25/);
  assert.ok(await page.locator('#bank-verdict.error').count() === 1, 'the verdict is shown as an error');
  await screenshot(page, 'configure-over-limit.png');

  // A custom model (user-extensible catalogue): 25 × 51.2 V at 150 Ah breaks the 128 kWh limit.
  await page.fill('#bank-parallel', '25');
  await page.selectOption('#bank-model', 'custom');
  await page.locator('#custom-capacity').fill('150');
  await page.locator('#custom-capacity').dispatchEvent('change');
  await page.waitForFunction(() => document.querySelector('#fig-energy')?.innerText === '192 kWh');
  assert.match(await text(page, '#bank-verdict'), /192.*128 kWh/);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

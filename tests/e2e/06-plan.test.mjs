// The energy planner's view: edit a profile, run a 30-day plan (progress bar, table of 30 days), cancel a long
// one, export the table as CSV.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp, screenshot } from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('plan: edit a load, run 30 days with progress, cancel a year, export CSV', async () => {
  const page = await openApp(browser);
  await page.click('button[role="tab"]:has-text("Plan")');
  await page.locator('#plan-timeline').waitFor();
  // The demo plan: the fridge first; make it hungrier.
  const fridge = page.locator('.plan-watts').first();
  await fridge.fill('90');
  await fridge.dispatchEvent('change');
  // A year, cancelled while it runs: the progress bar shows, Cancel stops it, no result appears.
  await page.fill('#plan-days', '366');
  await page.dispatchEvent('#plan-days', 'change');
  await page.click('#plan-run');
  await page.locator('#plan-progress').waitFor({ timeout: 10000 });
  await page.click('#plan-cancel');
  await page.waitForFunction(() => !document.querySelector('#plan-progress'));
  assert.equal(await page.locator('#plan-result').count(), 0);
  // 30 days in Marseille from October.
  await page.selectOption('#plan-place', 'marseille');
  await page.fill('#plan-month', '10');
  await page.dispatchEvent('#plan-month', 'change');
  await page.fill('#plan-days', '30');
  await page.dispatchEvent('#plan-days', 'change');
  await page.click('#plan-run');
  await page.locator('#plan-days-table').waitFor({ timeout: 60000 });
  assert.equal(await page.locator('#plan-days-table tbody tr').count(), 30);
  assert.match(await page.locator('#plan-days-table tbody tr').first().innerText(), /10-01/);
  assert.match(await page.locator('#plan-lowest').innerText(), /\d+\.\d %/);
  const download = page.waitForEvent('download');
  await page.click('#plan-csv');
  const file = await download;
  assert.equal(file.suggestedFilename(), 'smallbms-plan.csv');
  const csv = await (await file.createReadStream()).toArray();
  const lines = Buffer.concat(csv).toString().trim().split('\n');
  assert.equal(lines.length, 31);
  assert.match(lines[0], /^day,date,wh_in,wh_out,min_soc_percent/);
  await screenshot(page, 'plan-30-days.png');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

// The simulator: the cell under-voltage scenario at high speed. PRE-ALARM must rise at least 30 s (simulated)
// before LOAD floats (datasheet), the event log must say why, and the BMS panel must show the outputs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp, screenshot } from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('cell under-voltage: PRE-ALARM leads LOAD by at least 30 s, with the cause in the log', async () => {
  const page = await openApp(browser);
  await page.click('button[role="tab"]:has-text("Simulate")');
  await page.selectOption('#sim-scenario', 'cell-undervoltage');
  await page.selectOption('#sim-speed', '100000');
  assert.equal(await page.locator('#out-load').getAttribute('data-level'), 'high');
  await page.click('#sim-play');
  await page.waitForFunction(() => document.querySelector('#out-load')?.dataset.level === 'floating', null, { timeout: 30000 });
  const pre = page.locator('#event-log li[data-signal="pre_alarm"][data-level="high"]').last();
  const load = page.locator('#event-log li[data-signal="load_disconnect"][data-level="floating"]').first();
  const tPre = Number(await pre.getAttribute('data-t'));
  const tLoad = Number(await load.getAttribute('data-t'));
  assert.ok(tLoad - tPre >= 30000, `PRE-ALARM at ${tPre} ms, LOAD at ${tLoad} ms`);
  assert.match(await load.innerText(), /cell 3 of battery 2 stayed below 2\.80 V/);
  assert.equal(await page.locator('#out-prealarm').getAttribute('data-level'), 'high');
  // On the diagram: the inverter's control wire from LOAD lost its level; the charger's from CHARGER kept it.
  assert.equal(await page.locator('polyline[data-id="dev2.control"]').getAttribute('class'), 'wire control');
  assert.equal(await page.locator('polyline[data-id="dev3.control"]').getAttribute('class'), 'wire control high');
  // The virtual device shows the record 0x0A this BMS would broadcast, encrypted with the entered key.
  // 10 (product advertisement), byte 1, model 0xA3E7 LE, record 0x0A, nonce, key byte 0 (0x0d), 16 encrypted bytes.
  assert.match(await page.locator('#virtual-adv').innerText(), /^1002e7a30a[0-9a-f]{4}0d[0-9a-f]{32}$/);
  await screenshot(page, 'simulate-undervoltage.png');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('faults from the buttons: pulling the BMS cable floats LOAD and CHARGER at once', async () => {
  const page = await openApp(browser);
  await page.click('button[role="tab"]:has-text("Simulate")');
  await page.selectOption('#sim-scenario', '');
  await page.click('#sim-step');
  assert.equal(await page.locator('#out-charger').getAttribute('data-level'), 'high');
  await page.click('button:has-text("Pull BMS cable")');
  await page.waitForFunction(() => document.querySelector('#out-load')?.dataset.level === 'floating' && document.querySelector('#out-charger')?.dataset.level === 'floating');
  assert.match(await page.locator('#event-log').innerText(), /BMS-cable chain is broken/);
  await page.click('button:has-text("Plug BMS cable")');
  await page.waitForFunction(() => document.querySelector('#out-load')?.dataset.level === 'high');
  await page.context().close();
});

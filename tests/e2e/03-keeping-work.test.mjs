// Building a system through the UI, keeping it (autosave, share link, import/export), French, phone and desktop
// layouts, and offline use after the first load.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp, screenshot, APP_URL } from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const deviceCount = (page) => page.locator('#devices li[data-device]').count();

test('findings follow the system built through the UI, and the system survives a reload', async () => {
  const page = await openApp(browser);
  assert.equal(await page.locator('#findings-count').innerText(), '(0)', 'the demo passes every rule');
  const before = await deviceCount(page);
  // A relay coil on CHARGER is what the datasheet forbids.
  await page.selectOption('#device-preset', 'relay');
  await page.click('#device-add');
  await page.waitForFunction((n) => document.querySelectorAll('#devices li[data-device]').length === n + 1, before);
  const relay = page.locator(`#devices li[data-device="${before}"]`);
  await relay.locator('select.device-output').selectOption('charger');
  const rule = page.locator('#findings li[data-rule="output.inductive_on_charger"]');
  await rule.waitFor();
  assert.match(await rule.innerText(), /relay|inductive|coil/i);
  // Undo puts the relay back on LOAD; the finding goes.
  await page.click('#undo');
  await rule.waitFor({ state: 'detached' });
  await page.click('#redo');
  await rule.waitFor();
  // Reload: the same system is back (autosave).
  await page.reload();
  await page.locator('#app[data-ready="true"]').waitFor();
  assert.equal(await deviceCount(page), before + 1);
  await page.locator('#findings li[data-rule="output.inductive_on_charger"]').waitFor();
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a share link opens the same system in a fresh browser', async () => {
  const page = await openApp(browser);
  await page.fill('#bank-parallel', '7');
  await page.selectOption('#device-preset', 'buzzer');
  await page.click('#device-add');
  const names = await page.locator('#devices input.device-name').evaluateAll((els) => els.map((e) => e.value));
  await page.click('#share');
  const url = await page.locator('#share-url').inputValue();
  assert.ok(url.startsWith(APP_URL) && url.includes('#system='), url);
  await page.context().close();
  const fresh = await openApp(browser, { url });
  assert.equal(await fresh.locator('#fig-batteries').innerText(), '7');
  assert.deepEqual(await fresh.locator('#devices input.device-name').evaluateAll((els) => els.map((e) => e.value)), names);
  assert.match(await fresh.locator('#notice').innerText(), /share link/i);
  assert.deepEqual(fresh.problems, []);
  await fresh.context().close();
});

test('importing a broken or foreign file shows the error in plain words and keeps the system', async () => {
  const page = await openApp(browser);
  const batteries = await page.locator('#fig-batteries').innerText();
  await page.setInputFiles('#import', { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"version": 1, "bank": ') });
  await page.locator('#notice').waitFor();
  assert.match(await page.locator('#notice').innerText(), /broken\.json.*not valid JSON.*line 1/i);
  await page.setInputFiles('#import', { name: 'newer.json', mimeType: 'application/json', buffer: Buffer.from('{"version": 99}') });
  await page.waitForFunction(() => /newer version/.test(document.querySelector('#notice')?.innerText ?? ''));
  assert.equal(await page.locator('#fig-batteries').innerText(), batteries, 'the system is unchanged');
  await page.context().close();
});

test('a saved system this version cannot read is reported and kept aside, not dropped', async () => {
  const ctx = await browser.newContext();
  await ctx.addInitScript(() => {
    if (!sessionStorage.getItem('seeded')) {
      localStorage.setItem('smallbms.system', '{"version": 1, "bank": {"series": "two"}}');
      sessionStorage.setItem('seeded', '1');
    }
  });
  const page = await openApp(browser, { context: ctx });
  const notice = await page.locator('#notice').innerText();
  assert.match(notice, /could not be opened.*kept unchanged.*smallbms\.system\.unreadable\./s);
  const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('smallbms.system.unreadable.')).map((k) => localStorage.getItem(k)));
  assert.deepEqual(kept, ['{"version": 1, "bank": {"series": "two"}}']);
  await ctx.close();
});

test('French, and the phone and desktop layouts', async () => {
  const page = await openApp(browser, { viewport: { width: 375, height: 812 } });
  await page.click('.lang button:has-text("FR")');
  await page.waitForFunction(() => document.documentElement.lang === 'fr');
  assert.equal(await page.locator('button[role="tab"]').first().innerText(), 'Configurer');
  assert.match(await page.locator('#bank-title').innerText(), /Parc de batteries/);
  // The core's own words follow: a finding, its fix, the commissioning sheet.
  await page.selectOption('#device-preset', 'relay');
  await page.click('#device-add');
  const relay = page.locator('#devices li[data-device]').last();
  await relay.locator('select.device-output').selectOption('charger');
  const rule = page.locator('#findings li[data-rule="output.inductive_on_charger"]');
  await rule.waitFor();
  assert.match(await rule.innerText(), /est une charge inductive sur la sortie CHARGER/);
  assert.match(await rule.innerText(), /Commandez le relais/);
  // Back to English: the same finding in English, without a reload.
  await page.click('.lang button:has-text("EN")');
  await page.waitForFunction(() => /is an inductive load/.test(document.querySelector('#findings li[data-rule="output.inductive_on_charger"]')?.textContent ?? ''));
  await page.click('.lang button:has-text("FR")');
  await rule.waitFor();
  // Nothing wider than the phone's screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `page is ${overflow}px wider than a 375px phone`);
  await screenshot(page, 'phone-375-fr.png');
  // The event log tells why in French.
  await page.click('button[role="tab"]:has-text("Simuler")');
  await page.selectOption('#sim-scenario', 'cell-undervoltage');
  await page.selectOption('#sim-speed', '100000');
  await page.click('#sim-play');
  await page.waitForFunction(() => document.querySelector('#out-load')?.dataset.level === 'floating', null, { timeout: 30000 });
  const log = await page.locator('#event-log').innerText();
  assert.match(log, /la cellule 3 de la batterie 2 est restée sous 2\.80 V/);
  assert.match(log, /préalarme/);
  await page.context().close();
  const desk = await openApp(browser, { viewport: { width: 1366, height: 900 } });
  await screenshot(desk, 'desktop-1366.png');
  await desk.context().close();
});

test('works offline after the first visit (service worker)', async () => {
  const page = await openApp(browser);
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await page.context().setOffline(true);
  await page.reload();
  await page.locator('#app[data-ready="true"]').waitFor({ timeout: 20000 });
  assert.equal(await page.locator('#fig-batteries').innerText(), '4');
  await page.context().close();
});

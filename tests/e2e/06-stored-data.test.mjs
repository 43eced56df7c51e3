// Stored data in the browser never loses the user's system: a saved system from a newer version or damaged, a
// full storage quota (the real one, filled), two tabs editing at once, and a share link opened over the user's
// own system. Each time the other version is kept aside (or left in place) and the user is told.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp } from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const KEY = 'smallbms.system';
const saved = (page) => page.evaluate((k) => localStorage.getItem(k), KEY);
const keptAside = (page, prefix) => page.evaluate((p) => Object.keys(localStorage).filter((k) => k.startsWith(p)).sort()
  .map((k) => [k, localStorage.getItem(k)]), prefix);
const waitSaved = (page, fragment) => page.waitForFunction(([k, f]) => (localStorage.getItem(k) ?? '').includes(f), [KEY, fragment]);
const notice = (page) => page.locator('#notice').innerText();
const waitNotice = (page, re) => page.waitForFunction((src) => new RegExp(src, 's').test(document.querySelector('#notice')?.innerText ?? ''), re.source);
/** Fills this origin's localStorage to the last few bytes (the browser's real quota); returns the keys it used. */
const FILL = () => {
  const keys = [];
  let size = 1 << 20;
  while (size >= 8) {
    const k = `filler.${keys.length}`;
    try { localStorage.setItem(k, 'x'.repeat(size)); keys.push(k); } catch { size >>= 1; }
  }
  return keys;
};
const setParallel = async (page, n) => {
  await page.fill('#bank-parallel', String(n));
  await page.waitForFunction((v) => document.querySelector('#fig-batteries')?.innerText === v, String(n));
};

test('a saved system from a newer version is kept aside, told, and never written over', async () => {
  const ctx = await browser.newContext();
  const future = '{"version": 99, "name": "from a newer app", "bank": {"series": 1}}';
  await ctx.addInitScript((text) => {
    if (!sessionStorage.getItem('seeded')) { localStorage.setItem('smallbms.system', text); sessionStorage.setItem('seeded', '1'); }
  }, future);
  const page = await openApp(browser, { context: ctx });
  assert.match(await notice(page), /newer version of the app.*kept unchanged.*smallbms\.system\.unreadable\./s);
  const kept = await keptAside(page, 'smallbms.system.unreadable.');
  assert.deepEqual(kept.map(([, v]) => v), [future]);
  await setParallel(page, 6);
  await waitSaved(page, '"parallel":6');
  assert.deepEqual(await keptAside(page, 'smallbms.system.unreadable.'), kept, 'the copy is untouched');
  assert.deepEqual(page.problems, []);
  await ctx.close();
});

test('a full storage: the refused save is told and the last save stays intact', async () => {
  const page = await openApp(browser);
  await setParallel(page, 6);
  await waitSaved(page, '"parallel":6');
  const fillers = await page.evaluate(FILL);
  assert.ok(fillers.length > 3, `filled with ${fillers.length} keys`);
  // A change that needs more room (a device: a few hundred bytes) than is left.
  const devices = await page.locator('#devices li[data-device]').count();
  await page.selectOption('#device-preset', 'buzzer');
  await page.click('#device-add');
  await page.waitForFunction((n) => document.querySelectorAll('#devices li[data-device]').length === n + 1, devices);
  await waitNotice(page, /Not saved: the browser refused to store the system.*Export JSON/);
  const last = JSON.parse(await saved(page));
  assert.equal(last.bank.parallel, 6, 'the last save is intact');
  assert.equal(last.system.devices.length, devices);
  // The user frees space: the next change saves again.
  await page.evaluate((ks) => ks.forEach((k) => localStorage.removeItem(k)), fillers);
  await setParallel(page, 4);
  await waitSaved(page, '"parallel":4');
  await page.reload();
  await page.locator('#app[data-ready="true"]').waitFor();
  assert.equal(await page.locator('#fig-batteries').innerText(), '4');
  assert.equal(await page.locator('#devices li[data-device]').count(), devices + 1, 'the change made while full is saved too');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a damaged saved system with no room for a copy stays where it is until there is room', async () => {
  const ctx = await browser.newContext();
  const damaged = '{"version": 1, "bank": {"series": "two"}, "name": "damaged"}';
  await ctx.addInitScript((text) => {
    if (!sessionStorage.getItem('seeded')) {
      localStorage.setItem('smallbms.system', text);
      // The same filling as FILL, before the app starts (an init script takes no helper functions).
      const keys = [];
      let size = 1 << 20;
      while (size >= 8) {
        const k = `filler.${keys.length}`;
        try { localStorage.setItem(k, 'x'.repeat(size)); keys.push(k); } catch { size >>= 1; }
      }
      sessionStorage.setItem('fillers', JSON.stringify(keys));
      sessionStorage.setItem('seeded', '1');
    }
  }, damaged);
  const page = await openApp(browser, { context: ctx });
  assert.match(await notice(page), /could not be opened.*storage is full.*kept unchanged where it is.*will not save over it/s);
  assert.equal(await saved(page), damaged);
  assert.deepEqual(await keptAside(page, 'smallbms.system.unreadable.'), []);
  await setParallel(page, 6);
  await waitNotice(page, /Not saved: the browser's storage is full.*could not be kept aside first/);
  assert.equal(await saved(page), damaged, 'not written over');
  // Room is made: the next change keeps it aside first, then saves.
  await page.evaluate(() => JSON.parse(sessionStorage.getItem('fillers')).forEach((k) => localStorage.removeItem(k)));
  await setParallel(page, 5);
  await waitSaved(page, '"parallel":5');
  assert.match(await notice(page), /could not be opened was kept unchanged under "smallbms\.system\.unreadable\./);
  assert.deepEqual((await keptAside(page, 'smallbms.system.unreadable.')).map(([, v]) => v), [damaged]);
  assert.deepEqual(page.problems, []);
  await ctx.close();
});

test('two tabs editing at once: each keeps the other one\'s version aside instead of writing over it', async () => {
  const ctx = await browser.newContext();
  const a = await openApp(browser, { context: ctx });
  const b = await openApp(browser, { context: ctx });
  await setParallel(a, 6);
  await waitSaved(a, '"parallel":6');
  await setParallel(b, 3);
  await waitSaved(b, '"parallel":3');
  await waitNotice(b, /changed in another tab.*kept unchanged.*smallbms\.system\.replaced\./);
  let kept = await keptAside(b, 'smallbms.system.replaced.');
  assert.equal(kept.length, 1);
  assert.match(kept[0][1], /"parallel":6/);
  await setParallel(a, 5);
  await waitSaved(a, '"parallel":5');
  await waitNotice(a, /changed in another tab/);
  kept = await keptAside(a, 'smallbms.system.replaced.');
  assert.deepEqual(kept.map(([, v]) => JSON.parse(v).bank.parallel).sort(), [3, 6], 'both earlier versions are kept');
  assert.deepEqual([...a.problems, ...b.problems], []);
  await ctx.close();
});

test('a share link opened over the user\'s own system keeps that system aside', async () => {
  const ctx = await browser.newContext();
  const page = await openApp(browser, { context: ctx });
  await setParallel(page, 7);
  await page.click('#share');
  const url = await page.locator('#share-url').inputValue();
  await setParallel(page, 2);
  await waitSaved(page, '"parallel":2');
  await page.close();
  const linked = await openApp(browser, { context: ctx, url });
  assert.equal(await linked.locator('#fig-batteries').innerText(), '7');
  await waitSaved(linked, '"parallel":7');
  await waitNotice(linked, /share link.*system you had saved in this browser was kept unchanged under "smallbms\.system\.replaced\./s);
  const kept = await keptAside(linked, 'smallbms.system.replaced.');
  assert.deepEqual(kept.map(([, v]) => JSON.parse(v).bank.parallel), [2]);
  assert.deepEqual(linked.problems, []);
  await ctx.close();
});

// The power side: a cable entered too thin is flagged for voltage drop in both languages, the suggestion clears
// it, and the cable comes back after a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp, screenshot } from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('too thin a cable: finding in EN and FR, suggestion clears it, reload keeps it', async () => {
  const page = await openApp(browser);
  // The demo is sized: every power rule passes and every cable shows its drop.
  assert.equal(await page.locator('#findings-count').innerText(), '(0)');
  const row = page.locator('#power-cables tr[data-cable="device-1"]');
  assert.match(await row.locator('th').innerText(), /DC loads/);
  assert.match(await row.locator('.cable-drop').innerText(), /V · .* %/);

  // 1.5 mm², 10 m one way for 8 A of DC loads: far more than 5 % drop.
  await row.locator('.cable-size').selectOption({ label: '1.5 mm² (AWG 15)' });
  await page.waitForFunction(() => !document.querySelector('#power-cables tr[data-cable="device-1"] .cable-length').disabled);
  await row.locator('.cable-length').fill('10');
  await row.locator('.cable-length').dispatchEvent('change');
  const finding = page.locator('#findings li[data-rule="power.voltage_drop_excessive"]');
  await finding.waitFor();
  const en = await finding.innerText();
  assert.match(en, /DC loads/);
  assert.match(en, /1\.5 mm², 10 m one way\) drops \d+\.\d\d V at 30 A/); // the circuit is designed for 30 A
  assert.match(en, /Use \d+ mm²/);
  assert.ok(await row.locator('.path-drop.error').count() === 1, 'the row shows the drop as an error');
  await screenshot(page, 'power-too-thin.png');

  await page.click('.lang button:has-text("FR")');
  await page.waitForFunction(() => document.documentElement.lang === 'fr');
  const fr = await finding.innerText();
  assert.match(fr, /chute de \d+\.\d\d V à 30 A/);
  assert.match(await page.locator('#power-title').innerText(), /Câblage de puissance/);
  await page.click('.lang button:has-text("EN")');
  await page.waitForFunction(() => document.documentElement.lang === 'en');

  // Suggest: the smallest size that passes, the length kept.
  await row.locator('button.suggest').click();
  await page.waitForFunction(() => !document.querySelector('#findings li[data-rule="power.voltage_drop_excessive"]'));
  assert.equal(await page.locator('#findings li[data-rule^="power."]').count(), 0);
  const size = await row.locator('.cable-size').evaluate((s) => s.options[s.selectedIndex].text);
  assert.match(size, /^\d+ mm²/);
  assert.equal(await row.locator('.cable-length').inputValue(), '10');
  assert.match(await page.locator('#power-message').innerText(), /Suggested/);

  await page.reload();
  await page.locator('#app[data-ready="true"]').waitFor();
  const again = page.locator('#power-cables tr[data-cable="device-1"]');
  assert.equal(await again.locator('.cable-size').evaluate((s) => s.options[s.selectedIndex].text), size);
  assert.equal(await again.locator('.cable-length').inputValue(), '10');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

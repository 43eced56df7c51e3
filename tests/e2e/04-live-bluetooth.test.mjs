// The Live view end to end under Chrome's Bluetooth emulation (CDP BluetoothEmulation on the browser target,
// DeviceAccess on the page): an emulated smallBMS NG advertises an encrypted 0x0A record made by the core's
// encoder (through the `smallbms` command line); the page connects through its real UI and decodes it with the
// entered key, and shows the wrong-key message for a wrong key.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { launch, openApp, screenshot } from './harness.mjs';

const BIN = process.env.SMALLBMS_BIN ?? new URL('../../target/debug/smallbms', import.meta.url).pathname;
const KEY = '0df4d0395b7d1a876c0c33ff0b8ab0f1';
const WRONG_KEY = '11f4d0395b7d1a876c0c33ff0b8ab0f1';
const ADDRESS = '09:09:09:09:09:0A';
const VICTRON = 0x02e1;

// What the simulated BMS says: 87.5 %, 13.21 V, −12.3 A, 23 °C, allowed to charge, not allowed to discharge.
const RECORD = {
  soc_percent: 87.5, battery_voltage_v: 13.21, battery_current_a: -12.3, battery_temperature_c: 23,
  allowed_to_charge: true, allowed_to_discharge: false, time_to_go_min: 412, consumed_ah: -25.1,
};

function encode(nonce) {
  const out = execFileSync(BIN, ['readout', '--encode-bms', JSON.stringify(RECORD), '--key', KEY,
    '--nonce', String(nonce)], { encoding: 'utf8' });
  return Buffer.from(out.trim(), 'hex').toString('base64');
}

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('connects to an emulated smallBMS NG and decodes its Instant Readout', async () => {
  const cdp = await browser.newBrowserCDPSession();
  await cdp.send('BluetoothEmulation.enable', { state: 'powered-on', leSupported: true });
  const first = encode(0x0101);
  await cdp.send('BluetoothEmulation.simulatePreconnectedPeripheral', {
    address: ADDRESS, name: 'smallBMS NG', knownServiceUuids: [],
    manufacturerData: [{ key: VICTRON, data: first }],
  });
  const advertise = (data) => {
    // Chromium's own tests fire this without awaiting it: the reply can lag the event.
    cdp.send('BluetoothEmulation.simulateAdvertisement', { entry: {
      deviceAddress: ADDRESS, rssi: -48,
      scanRecord: { name: 'smallBMS NG', uuids: [], appearance: 0, txPower: 0, manufacturerData: [{ key: VICTRON, data }] },
    } }).catch(() => {});
  };

  const page = await openApp(browser);
  await page.click('button[role="tab"]:has-text("Live")');
  const session = await page.context().newCDPSession(page);
  await session.send('DeviceAccess.enable');
  // Chromium announces the same prompt again as its device list updates; answering one prompt twice can
  // crash the browser, so each prompt is answered once.
  const answered = new Set();
  session.on('DeviceAccess.deviceRequestPrompted', async (ev) => {
    const dev = ev.devices.find((d) => d.id === ADDRESS);
    if (!dev || answered.has(ev.id)) return;
    answered.add(ev.id);
    await session.send('DeviceAccess.selectPrompt', { id: ev.id, deviceId: dev.id });
  });
  await page.click('#bt-connect');
  await page.waitForFunction(() => /Listening/.test(document.querySelector('#bt-status')?.innerText ?? ''), null, { timeout: 15000 });

  // Without a key the page asks for one.
  advertise(first);
  const card = page.locator('.live-device');
  await card.locator('.problem').waitFor({ timeout: 10000 });
  assert.match(await card.locator('.problem').innerText(), /key/i);

  // The right key decodes every field the smallBMS NG sends.
  await card.locator('input.key').fill(KEY);
  await card.locator('input.key').dispatchEvent('change');
  await card.locator('tr[data-field="soc_percent"]').waitFor({ timeout: 10000 });
  const field = (k) => card.locator(`tr[data-field="${k}"] td`).innerText();
  assert.equal(await field('soc_percent'), '87.5');
  assert.equal(await field('battery_voltage_v'), '13.21');
  assert.equal(await field('battery_current_a'), '-12.3');
  assert.equal(await field('battery_temperature_c'), '23');
  assert.equal(await field('allowed_to_charge'), 'yes');
  assert.equal(await field('allowed_to_discharge'), 'no');
  assert.match(await card.locator('.rssi').innerText(), /-48 dBm/);
  assert.match(await card.locator('.mirror').innerText(), /smallBMS NG of your configured system/);
  // The live values drive the diagram: allowed to charge (CHARGER high), not allowed to discharge (LOAD floating).
  await page.waitForFunction(() => /87\.5 %/.test(document.querySelector('#diagram-badge')?.textContent ?? ''));
  assert.match(await page.locator('#diagram-source').innerText(), /live/);
  assert.equal(await page.locator('circle[data-id="bms.charger"].high').count(), 1);
  assert.equal(await page.locator('circle[data-id="bms.load"].high').count(), 0);

  // A new advertisement (new nonce) is taken; the same nonce again is skipped as a repeat.
  advertise(encode(0x0102));
  advertise(encode(0x0102));
  await page.waitForFunction(() => /1 repeats skipped/.test(document.querySelector('.live-device')?.innerText ?? ''), null, { timeout: 10000 });
  await screenshot(page, 'live-decoded.png');

  // A wrong key (its first byte differs from the one the device advertises) is refused in plain words.
  await card.locator('input.key').fill(WRONG_KEY);
  await card.locator('input.key').dispatchEvent('change');
  await page.waitForFunction(() => /wrong or changed key/i.test(document.querySelector('.live-device .problem')?.innerText ?? ''), null, { timeout: 10000 });
  assert.equal(await card.locator('tr[data-field="soc_percent"]').count(), 0, 'no values are shown with a wrong key');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

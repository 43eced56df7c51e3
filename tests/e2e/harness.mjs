// Shared set-up of the end-to-end tests: Debian's Chromium driven by playwright-core (no browser download),
// with every page error, console error and request that leaves 127.0.0.1 collected so a test can assert on them.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const APP_URL = process.env.APP_URL ?? 'http://127.0.0.1:8089/';
export const ARTIFACTS = process.env.ARTIFACTS ?? new URL('../artifacts', import.meta.url).pathname;
mkdirSync(ARTIFACTS, { recursive: true });

/** Flags Chromium needs as root on a machine that reaches only package registries. */
export const CHROMIUM_ARGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', '--disable-quic', '--enable-experimental-web-platform-features',
];

export async function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

/** A fresh context + page that records problems: `page.problems` lists page errors, console errors and
 *  requests to any host but 127.0.0.1. */
export async function openApp(browser, { viewport = { width: 1280, height: 900 }, url = APP_URL, context } = {}) {
  const ctx = context ?? await browser.newContext({ viewport });
  const page = await ctx.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`page error: ${e}`));
  page.on('console', (m) => { if (m.type() === 'error') page.problems.push(`console error: ${m.text()}`); });
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (!['127.0.0.1', ''].includes(u.hostname) && !['data:', 'blob:'].includes(u.protocol)) {
      page.problems.push(`request left 127.0.0.1: ${r.url()}`);
    }
  });
  await page.goto(url);
  await page.locator('#app[data-ready="true"]').waitFor({ timeout: 20000 });
  return page;
}

export async function screenshot(page, name) {
  await page.screenshot({ path: join(ARTIFACTS, name), fullPage: true });
}

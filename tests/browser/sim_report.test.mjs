// The report of `headroom sim` in a real headless browser: it renders from the file alone
// (no console error, no request beyond the page), draws the load charts asked for, and has
// a table row per strategy. The full page is screenshotted; the picture goes to
// docs/img/sim-report.png (the README shows it) only when HEADROOM_SCREENSHOTS=1.
//
// Usage: node --test sim_report.test.mjs  (with HEADROOM_BIN=path/to/headroom); with
// HEADROOM_SIM_REPORT_DIR=dir the first test checks a report already written there.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import test from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const keepScreenshots = process.env.HEADROOM_SCREENSHOTS === '1';
const headroom = process.env.HEADROOM_BIN;
const givenReport = process.env.HEADROOM_SIM_REPORT_DIR;
// The screenshot's name: `make screenshots` also shows a report of `headroom sim --live`.
const shotName = process.env.HEADROOM_SIM_REPORT_SHOT || 'sim-report.png';
const strategies = ['as-scheduled', 'rate-limit', 'rollout-groups', 'headroom-warn', 'headroom-auto'];


/// Runs `headroom sim` on a small generated fleet and returns the report's index.html.
function writeReport(dir, extra = []) {
  execFileSync(headroom, ['sim', '--generate', 'devices=300,proxies=4,seed=3', '--report', dir, ...extra],
    { stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 });
  const index = join(dir, 'index.html');
  assert.ok(existsSync(index), `headroom sim wrote no ${index}`);
  return index;
}

/// Opens FILE and collects what must not happen: console errors, page errors, requests
/// for anything but the file itself.
async function open(browser, file) {
  const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  const url = pathToFileURL(file).href;
  page.on('request', (r) => { if (r.url() !== url) problems.push(`request: ${r.url()}`); });
  await page.goto(url);
  return { page, problems };
}

async function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  });
}

test('the report renders alone with charts and a row per strategy', async () => {
  const dir = givenReport ? resolve(givenReport) : mkdtempSync(join(tmpdir(), 'headroom-sim-report-'));
  const index = givenReport ? join(dir, 'index.html') : writeReport(dir);
  const browser = await launch();
  try {
    const { page, problems } = await open(browser, index);
    assert.deepEqual(problems, []);
    assert.match(await page.title(), /headroom sim/);
    assert.ok(await page.locator('.proxy-chart').count() >= 1, 'no load chart');
    const rows = page.locator('#summary tbody tr.strategy');
    if (givenReport) {
      assert.ok(await rows.count() >= 1, 'no strategy row');
    } else {
      assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.strategy)), strategies);
    }
    // Every chart is drawn, with a legend entry per strategy row.
    const strategyCount = await rows.count();
    for (const chart of await page.locator('.proxy-chart').all()) {
      assert.ok((await chart.boundingBox()).height > 100);
      assert.ok(await chart.locator('path').count() >= strategyCount);
    }
    assert.equal(await page.locator('.displacement-chart').count(), 1);
    const screenshots = keepScreenshots ? join(here, '..', '..', 'docs', 'img') : join(tmpdir(), 'headroom-sim-report-img');
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, shotName), fullPage: true });
  } finally {
    await browser.close();
    if (!givenReport) rmSync(dir, { recursive: true, force: true });
  }
});

test('--report-proxies 3 draws exactly three load charts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-sim-report-'));
  const browser = await launch();
  try {
    const { page, problems } = await open(browser, writeReport(dir, ['--report-proxies', '3']));
    assert.deepEqual(problems, []);
    assert.equal(await page.locator('.proxy-chart').count(), 3);
    const proxies = await page.locator('.proxy-chart').evaluateAll((charts) => charts.map((c) => c.dataset.proxy));
    assert.equal(new Set(proxies).size, 3, `charts of distinct proxies: ${proxies}`);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

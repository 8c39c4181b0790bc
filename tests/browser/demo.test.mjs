// `headroom demo` as an operator meets it, in a real headless browser: the bundled demo
// fleet played live through real relays. Log in, see the warnings the detector computed
// from the devices the relays saw, apply the suggestion for the second rollout's proxy,
// and see its load chart under the threshold. Then Ctrl-C (SIGINT) stops the demo.
// Screenshots go to docs/img/ (the README shows them) only when HEADROOM_SCREENSHOTS=1.
//
// Usage: node --test demo.test.mjs  (with HEADROOM_BIN=path/to/headroom, from the repository)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import test from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const keepScreenshots = process.env.HEADROOM_SCREENSHOTS === '1';
const headroom = process.env.HEADROOM_BIN;
const token = 'demo-test-token-0123456789';

/// Starts the demo and reads what it prints until its instructions end.
async function startDemo(dataDir) {
  const demo = spawn(headroom, ['demo', '--fleet', join(root, 'config', 'demo-fleet.json'),
    '--listen', '127.0.0.1:0', '--data-dir', dataDir, '--api-token', token, '--lead', '60',
    '--display-time-zone', 'Europe/Berlin', '--status-every', '5'],
  { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: demo.stdout });
  const out = { demo, lines: [] };
  await new Promise((resolve, reject) => {
    lines.on('line', (line) => {
      out.lines.push(line);
      if (line.startsWith('Ctrl-C stops everything')) resolve();
    });
    demo.once('exit', (code) => reject(new Error(`demo exited with ${code}:\n${out.lines.join('\n')}`)));
  });
  const text = out.lines.join('\n');
  out.base = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(text)[1];
  out.password = /^operator login: operator \/ (\S+)$/m.exec(text)[1];
  out.relayStatus = [...text.matchAll(/its status on (http:\/\/\S+\/status)/g)].map((m) => m[1]);
  return out;
}

async function api(base, path) {
  const res = await fetch(base + path, { headers: { authorization: `Bearer ${token}` } });
  assert.ok(res.ok, `GET ${path}: ${res.status}`);
  return res.json();
}

test('the operator sees the coming overload, applies the suggestion and the load stays under the threshold', { timeout: 240_000 }, async () => {
  assert.ok(headroom, 'set HEADROOM_BIN to the headroom executable');
  const dataDir = mkdtempSync(join(tmpdir(), 'headroom-demo-'));
  const screenshots = keepScreenshots ? join(root, 'docs', 'img') : join(dataDir, 'img');
  mkdirSync(screenshots, { recursive: true });
  const { demo, base, password, relayStatus } = await startDemo(dataDir);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  });
  try {
    assert.equal(relayStatus.length, 5, 'a relay per proxy of the demo fleet');
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(`${base}/warnings`);
    await page.getByLabel('Operator').fill('operator');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/warnings$/);

    // The relays announce the devices that checked in; the detector warns of the four
    // crowded site proxies well before the first rollout.
    const summary = page.locator('#warning-summary');
    for (let i = 0; i < 40 && !/^4 proxies overloaded/.test(await summary.innerText().catch(() => '')); i++) {
      await page.waitForTimeout(1000);
      await page.reload();
    }
    assert.match(await summary.innerText(), /^4 proxies overloaded in the horizon/);
    const seen = await Promise.all(relayStatus.map(async (url) => (await (await fetch(url)).json()).devices_seen));
    assert.ok(seen.every((n) => n > 0), `every relay saw devices: ${seen}`);
    await page.screenshot({ path: join(screenshots, 'demo-warnings.png') });

    // The second rollout crowds px-lyon: apply the detector's suggestion for it, once its
    // warning has settled. While devices still check in, a fetch (every 2 s) may bring a
    // new notification with a new suggestion, and a suggestion applied just before it
    // leaves out the devices it did not know of yet. Settled: the same notification 3 s on.
    const lyon = page.locator('#warnings section.proxy-warning', { has: page.locator('h2', { hasText: /^px-lyon$/ }) }).first();
    let notification = await lyon.getAttribute('data-notification');
    for (let i = 0; i < 20; i++) {
      await page.waitForTimeout(3000);
      await page.reload();
      const now = await lyon.getAttribute('data-notification');
      if (now === notification) break;
      notification = now;
    }
    await lyon.getByRole('button', { name: /Apply suggested adjustment/ }).click();
    await page.waitForURL(/\/schedule\?/);
    const chart = page.locator('#load-chart');
    const peak = Number(await chart.getAttribute('data-peak'));
    assert.ok(peak <= 64, `px-lyon's load after the adjustment peaks at ${peak}, over its threshold of 64`);
    await page.screenshot({ path: join(screenshots, 'demo-schedule.png') });
    const moved = await api(base, '/api/v1/jobs?proxy=px-lyon&limit=1000');
    assert.ok(new Set(moved.items.map((j) => j.start)).size > 1, 'the jobs are spread out');
  } finally {
    await browser.close();
    demo.kill('SIGINT');
    const code = await new Promise((resolve) => demo.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
    assert.equal(code, 0, 'Ctrl-C stops the demo cleanly');
  }
});

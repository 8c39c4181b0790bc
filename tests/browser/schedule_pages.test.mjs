// The operator's path through the distribution system's pages in a real headless browser:
// log in, see a warning (the summary, the window's chart, its jobs folded until opened, times
// in the site's zone beside UTC), open the schedule, preview and confirm a move, see the
// chart change.
// Every page is screenshotted (that renders it whole); the pictures go to docs/img/ (the
// README shows them) only when HEADROOM_SCREENSHOTS=1, so that `make test` leaves the tree clean.
//
// Usage: node --test schedule_pages.test.mjs  (with HEADROOM_BIN=path/to/headroom)
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import test from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const keepScreenshots = process.env.HEADROOM_SCREENSHOTS === '1';
const headroom = process.env.HEADROOM_BIN;
const token = 'browser-test-token-0123456789';

// A small fleet: on proxy px-a (threshold 2) three deliveries overlap from 10:05 to 10:10.
const fleet = {
  horizon: { from: '2026-12-01T08:00:00Z', to: '2026-12-01T14:00:00Z' },
  proxies: [{ id: 'px-a', capacity: 4, threshold: 2 }, { id: 'px-b', capacity: 4, threshold: 3 }],
  customers: [{ id: 'acme', services: ['software_distribution', 'status_monitoring'], time_zone: 'UTC', maintenance_windows: [] }],
  devices: ['d1', 'd2', 'd3', 'd4'].map((id, i) => ({
    id, customer: 'acme', monitoring_mode: 'proxy', proxy: i < 3 ? 'px-a' : 'px-b', model: 'mfp-x',
  })),
  packages: [{ id: 'fw-1', version: '1.0.0', size_bytes: 50000000 }],
  jobs: [
    { id: 'j1', device: 'd1', package: 'fw-1', start: '2026-12-01T10:00:00Z', duration_s: 600 },
    { id: 'j2', device: 'd2', package: 'fw-1', start: '2026-12-01T10:00:00Z', duration_s: 600 },
    { id: 'j3', device: 'd3', package: 'fw-1', start: '2026-12-01T10:05:00Z', duration_s: 600 },
    { id: 'j4', device: 'd4', package: 'fw-1', start: '2026-12-01T10:00:00Z', duration_s: 600 },
  ],
  services: [{ device: 'd4', service: 'status_monitoring', first_start: '2026-12-01T00:20:00Z', every_s: 3600, duration_s: 120 }],
};

const notification = {
  detector: 'det-1', proxy: 'px-a', sent_at: '2026-11-30T12:00:00Z',
  windows: [{ start: '2026-12-01T10:05:00Z', end: '2026-12-01T10:10:00Z', peak: 3, threshold: 2, jobs: ['j1', 'j2', 'j3'] }],
  suggested_adjustment: { moves: [{ job: 'j3', from: '2026-12-01T10:05:00Z', to: '2026-12-01T10:10:00Z', version: 1 }] },
};

/// Starts `headroom distribution` on 127.0.0.1 port 0 and reads the port from its first line.
/// The pages show times in Europe/Paris (CET in December, an hour ahead of UTC).
async function startServer(dataDir) {
  const config = join(dataDir, 'distribution.toml');
  writeFileSync(config, '[pages]\ndisplay_time_zone = "Europe/Paris"\n');
  const server = spawn(headroom, ['distribution', '--config', config, '--listen', '127.0.0.1:0', '--data-dir', dataDir,
    '--api-token', token],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: server.stdout });
  const first = await new Promise((resolve, reject) => {
    lines.once('line', resolve);
    server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(first);
  assert.ok(match, `unexpected first line: ${first}`);
  return { server, base: match[1] };
}

async function api(base, method, path, body, headers = {}) {
  const res = await fetch(base + path, {
    method, body: JSON.stringify(body),
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
  });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}

test('operator logs in, sees the warning, moves a job and sees the chart change', async () => {
  assert.ok(headroom, 'set HEADROOM_BIN to the headroom executable');
  const dataDir = mkdtempSync(join(tmpdir(), 'headroom-browser-'));
  const screenshots = keepScreenshots ? join(here, '..', '..', 'docs', 'img') : join(dataDir, 'img');
  const added = execFileSync(headroom, ['distribution', '--data-dir', dataDir, '--api-token', token, '--add-operator', 'alice']).toString();
  const password = /password: (\S+)/.exec(added)[1];
  const { server, base } = await startServer(dataDir);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  });
  try {
    await api(base, 'PUT', '/api/v1/fleet', fleet);
    await api(base, 'POST', '/api/v1/notifications', notification, { 'idempotency-key': 'browser-test-1' });
    mkdirSync(screenshots, { recursive: true });
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });

    await page.goto(`${base}/warnings`);
    assert.match(page.url(), /\/login\?next=%2Fwarnings$/);
    await page.getByLabel('Operator').fill('alice');
    await page.getByLabel('Password').fill(password);
    await page.screenshot({ path: join(screenshots, 'login.png') });
    await page.getByRole('button', { name: 'Log in' }).click();

    await page.waitForURL(/\/warnings$/);
    assert.equal(await page.locator('#warning-summary').innerText(),
      '1 proxy overloaded in the horizon, in 1 window: 3 deliveries at risk.');
    const section = page.locator('#warnings section.proxy-warning').first();
    assert.match(await section.locator('h2').innerText(), /^px-a$/);
    const row = section.locator('tr.warning').first();
    await assert.doesNotReject(row.waitFor());
    assert.match(await row.innerText(), /2026-12-01 11:05 – 11:10 CET\n\(10:05 – 10:10 UTC\)[\s\S]*3 \/ 2/);
    // The load around the window, the threshold line drawn.
    const small = row.locator('svg.window-chart');
    assert.equal(await small.getAttribute('data-peak'), '3');
    // A horizontal line has no height, which Playwright's isVisible counts as hidden: check
    // that it is drawn across the chart, inside it.
    const chartBox = await small.boundingBox();
    const line = await small.locator('.threshold-line').boundingBox();
    assert.ok(line && line.width > chartBox.width / 2, 'the threshold line spans the chart');
    assert.ok(line.y > chartBox.y && line.y < chartBox.y + chartBox.height, 'the threshold line is inside the chart');
    assert.ok(await small.locator('.load-current').isVisible(), 'the load is drawn');
    // The jobs folded to their count until the operator opens them; no script needed.
    const jobs = row.locator('details.jobs');
    assert.equal(await jobs.locator('summary').innerText(), '3 jobs');
    assert.equal(await jobs.locator('p').isVisible(), false);
    await page.screenshot({ path: join(screenshots, 'warnings.png'), fullPage: true });
    await jobs.locator('summary').click();
    assert.equal(await jobs.locator('p').innerText(), 'j1, j2, j3');

    await row.getByRole('link', { name: 'Schedule' }).click();
    await page.waitForURL(/\/schedule\?/);
    const chart = page.locator('#load-chart');
    assert.equal(await chart.getAttribute('data-peak'), '3');
    const before = await page.locator('#load-current').getAttribute('d');
    await page.screenshot({ path: join(screenshots, 'schedule.png'), fullPage: true });

    await page.getByLabel('select j3').check();
    await page.getByLabel(/New start/).fill('2026-12-01T12:00');  // Paris: 11:00 UTC.
    await page.getByRole('button', { name: 'Preview move' }).click();
    await page.locator('#load-preview').waitFor();
    assert.equal(await chart.getAttribute('data-preview-peak'), '2');
    await page.screenshot({ path: join(screenshots, 'schedule-preview.png'), fullPage: true });

    await page.getByRole('button', { name: 'Confirm move' }).click();
    await page.locator('#outcome').waitFor();
    assert.match(await page.locator('#outcome').innerText(), /Moved 1 job/);
    assert.equal(await page.locator('#load-chart').getAttribute('data-peak'), '2');
    const after = await page.locator('#load-current').getAttribute('d');
    assert.notEqual(after, before, 'the chart redraws with the moved job');
    await page.screenshot({ path: join(screenshots, 'schedule-after-move.png'), fullPage: true });

    const job = await api(base, 'GET', '/api/v1/jobs/j3');
    assert.equal(job.start, '2026-12-01T11:00:00Z');

    await page.getByRole('link', { name: 'History' }).click();
    await page.locator('#adjustments').waitFor();
    assert.match(await page.locator('#adjustments').innerText(), /alice/);
    await page.screenshot({ path: join(screenshots, 'history.png'), fullPage: true });
  } finally {
    await browser.close();
    server.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
});

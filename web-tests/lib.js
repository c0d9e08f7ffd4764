// Shared helpers: start the real server on a free port with a fresh data directory, drive
// the system Chromium, sign in, and scan pages with axe-core.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { before, after } = require('node:test');

// The instant the test server's clock starts at: the suite never depends on the day it runs.
// Set PRACTICUM_WEB_TEST_NOW to run it on another date (CI's default is a Monday in January;
// the suite is checked on 1 Jan, 20 Mar, 1 Jul and 30 Sep).
const TEST_NOW = process.env.PRACTICUM_WEB_TEST_NOW || '2027-01-04T09:00:00Z';
if (Number.isNaN(Date.parse(TEST_NOW))) throw new Error(`PRACTICUM_WEB_TEST_NOW=${TEST_NOW} is not a date`);

/// The test server's today plus `days`, as YYYY-MM-DD.
function isoInDays(days) {
  return new Date(Date.parse(TEST_NOW) + days * 86400000).toISOString().slice(0, 10);
}

const BIN = process.env.PRACTICUM_BIN || path.resolve(__dirname, '..', 'target', 'debug', 'practicum');
const PASSWORD = 'practicum-demo';
const USERS = {
  admin: 'admin@demo.practicum.test',
  coordinator: 'coordinator@demo.practicum.test',
  school_coordinator: 'school@demo.practicum.test',
  student: 'student@demo.practicum.test',
  preceptor: 'preceptor@demo.practicum.test',
  faculty: 'faculty@demo.practicum.test',
  department_manager: 'manager@demo.practicum.test',
};

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/// Polls `check` until it returns a truthy value, or throws after `ms`. An error marked
/// `fatal` ends the wait at once; any other error counts as "not yet".
async function poll(check, ms = 30000, what = 'condition') {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      if (e.fatal) throw e;
    }
    if (Date.now() > deadline) throw new Error(`${what} not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/// Starts `practicum serve --demo` on a free port with a fresh data directory and resolves when
/// /login answers; `stop()` ends it and removes the directory.
async function startServer() {
  if (!fs.existsSync(BIN)) throw new Error(`${BIN} is missing: run \`cargo build\` first (or set PRACTICUM_BIN)`);
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'practicum-web-'));
  const proc = spawn(BIN, ['serve', '--demo', '--data-dir', dataDir, '--addr', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Every test signs in from 127.0.0.1; throttling has its own integration tests.
    // The caller's PRACTICUM_* settings (a database URL, say) must not leak into the test server.
    env: {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PRACTICUM_'))),
      RUST_LOG: 'warn',
      PRACTICUM_LOGIN_MAX_FAILURES: '1000',
      // A debug build's clock starts here (a release build refuses to start with it).
      PRACTICUM_TEST_CLOCK: TEST_NOW,
    },
  });
  let log = '';
  let exited = null;
  proc.stdout.on('data', (d) => { log += d; });
  proc.stderr.on('data', (d) => { log += d; });
  proc.on('error', (e) => { exited = `could not start: ${e.message}`; });
  const done = new Promise((r) => proc.once('exit', (code, signal) => {
    exited = exited || `exited with ${code ?? signal}`;
    r();
  }));
  const base = `http://127.0.0.1:${port}`;
  try {
    await poll(async () => {
      if (exited) throw Object.assign(new Error(`practicum ${exited}`), { fatal: true });
      return (await fetch(`${base}/login`)).ok;
    }, 60000, `server at ${base}`);
  } catch (e) {
    if (!exited) proc.kill('SIGTERM');
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`${e.message}\n${log}`);
  }
  return {
    base,
    dataDir,
    async stop() {
      if (!exited) {
        proc.kill('SIGTERM');
        await done;
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/// A fresh browser context (its own cookies), signed in as `role`.
async function signIn(browser, base, role, { bypassCSP = true } = {}) {
  // The CSP forbids injected scripts; axe is injected by the test, so the test bypasses it
  // (a test of the policy itself signs in with `{ bypassCSP: false }`).
  const context = await browser.newContext({ bypassCSP, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.getByLabel('Email').fill(USERS[role]);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/`);
  return { context, page };
}

/// Fails on any serious or critical axe-core violation, listing them.
async function assertAccessible(page, label) {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
  if (violations.length) throw new Error(`accessibility violations on ${label}:\n${violations.join('\n')}`);
}

/// What every test file needs first: the demo server and a browser, started before the file's
/// tests and stopped after them. `ready(server, browser)` hands them to the file once started.
function useServerAndBrowser(ready) {
  let server;
  let browser;
  before(async () => {
    server = await startServer();
    browser = await launch();
    ready(server, browser);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });
}

module.exports = { startServer, launch, signIn, assertAccessible, poll, USERS, TEST_NOW, isoInDays, useServerAndBrowser };

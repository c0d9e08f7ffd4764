// The office's forms: errors summarised and repeated at each field, post/redirect/get with a
// confirmation, the expiring-agreements filter, signing out.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, launch, signIn, assertAccessible } = require('./lib');

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('an empty school form shows an error summary linked to each field', async () => {
  const { context, page } = await signIn(browser, server.base, 'coordinator');
  await page.goto(`${server.base}/schools/new`);
  await page.getByRole('button', { name: 'Save' }).click();
  const summary = page.getByRole('alert');
  await summary.waitFor();
  assert.match(await summary.textContent(), /There is a problem/);
  for (const id of ['f-name', 'f-city', 'f-state']) {
    assert.equal(await summary.locator(`a[href="#${id}"]`).count(), 1, `summary links to ${id}`);
    assert.equal(await page.locator(`#${id}`).getAttribute('aria-invalid'), 'true');
  }
  await assertAccessible(page, 'school form with errors');
  await context.close();
});

test('the office creates a school and an agreement through the forms', async () => {
  const { context, page } = await signIn(browser, server.base, 'coordinator');
  await page.goto(`${server.base}/schools/new`);
  await page.getByLabel('Name').fill('Cape Cod Health Sciences College');
  await page.getByLabel('City').fill('Hyannis');
  await page.getByLabel('State').fill('MA');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(/\/schools\/[0-9a-f-]{36}\?done=created$/);
  assert.match(await page.getByRole('status').textContent(), /Created/);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Cape Cod Health Sciences College');

  await page.getByRole('link', { name: 'Add agreement' }).click();
  await page.getByLabel('Status').selectOption('active');
  await page.getByLabel('In force from').fill('2026-01-01');
  await page.getByLabel('Expires on').fill('2029-12-31');
  await page.getByLabel('Radiography').check();
  await page.getByLabel('Respiratory therapy').check();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(/\/schools\/[0-9a-f-]{36}\?done=created$/);
  const agreements = page.locator('table', { has: page.locator('caption', { hasText: 'Agreements' }) });
  assert.match(await agreements.textContent(), /2026-01-01 – 2029-12-31/);
  assert.match(await agreements.textContent(), /radiography, respiratory_therapy/);
  await assertAccessible(page, 'school page');
  await context.close();
});

test('the expiring filter shows only agreements ending within 90 days', async () => {
  const { context, page } = await signIn(browser, server.base, 'coordinator');
  await page.goto(`${server.base}/agreements?expiring=90`);
  const rows = page.locator('table tbody tr');
  const n = await rows.count();
  assert.ok(n >= 1, 'the demo has agreements expiring within 90 days');
  for (let i = 0; i < n; i++) {
    assert.match(await rows.nth(i).textContent(), /expiring in \d+ days/);
  }
  const csv = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
  const res = await page.request.get(server.base + csv);
  assert.equal(res.status(), 200);
  assert.equal((await res.text()).trim().split('\n').length, n + 1, 'the CSV holds exactly the filtered rows');
  await context.close();
});

test('signing out ends the session', async () => {
  const { context, page } = await signIn(browser, server.base, 'student');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${server.base}/login`);
  const res = await page.goto(`${server.base}/profile`);
  assert.equal(new URL(res.url()).pathname, '/login');
  await context.close();
});

// The office's forms: errors summarised and repeated at each field, post/redirect/get with a
// confirmation, the expiring-agreements filter, signing out.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { signIn, assertAccessible, isoInDays, useServerAndBrowser } = require('./lib');

/// The agreements table's rows: link to the agreement, its badge, and the "Expires" column.
async function agreementRows(page) {
  const table = page.locator('table', { has: page.locator('caption', { hasText: 'Agreements' }) });
  const headers = await table.locator('thead th').allTextContents();
  const expiresAt = headers.findIndex((h) => h.trim() === 'Expires');
  assert.ok(expiresAt >= 0, 'the table has an Expires column');
  return table.locator('tbody tr').evaluateAll((trs, i) => trs.map((tr) => ({
    href: tr.querySelector('a[href^="/agreements/"]')?.getAttribute('href'),
    badge: tr.querySelector('.badge')?.textContent.trim() ?? '',
    expires: tr.children[i]?.textContent.trim(),
  })), expiresAt);
}

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
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
    const field = page.locator(`#${id}`);
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    // The message is repeated at the field, and the field points to it.
    const describedBy = await field.getAttribute('aria-describedby');
    assert.ok(describedBy, `${id} is described by its message`);
    const message = (await page.locator(`#${describedBy}`).textContent()).trim();
    assert.ok(message.length > 0, `${id} has a message`);
    assert.match(await summary.textContent(), new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
      'the summary says what the field says');
  }
  // A summary link moves focus to its field.
  await summary.locator('a[href="#f-city"]').click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-city');
  await assertAccessible(page, 'school form with errors');

  // What was typed is kept; only the missing fields are reported.
  await page.getByLabel('Name').fill('Half-filled College');
  await page.getByRole('button', { name: 'Save' }).click();
  await summary.waitFor();
  assert.equal(await page.getByLabel('Name').inputValue(), 'Half-filled College');
  assert.equal(await summary.locator('a[href="#f-name"]').count(), 0);
  assert.equal(await summary.locator('a[href="#f-city"]').count(), 1);
  assert.equal(await page.locator('#f-name').getAttribute('aria-invalid'), null);
  await context.close();
});

test('the office creates a school and an agreement through the forms', async () => {
  const { context, page } = await signIn(browser, server.base, 'coordinator');
  await page.goto(`${server.base}/schools/new`);
  await assertAccessible(page, 'new school form');
  await page.getByLabel('Name').fill('Cape Cod Health Sciences College');
  await page.getByLabel('City').fill('Hyannis');
  await page.getByLabel('State').fill('MA');
  for (const name of ['name', 'city', 'state']) {
    assert.equal(await page.locator(`form.record-form [name="${name}"]`).count(), 1, `the school form posts ${name}`);
  }
  await page.getByRole('button', { name: 'Save' }).click();
  // Post/redirect/get: the new school's page, with a confirmation.
  await page.waitForURL(/\/schools\/[0-9a-f-]{36}\?done=created$/);
  const schoolUrl = page.url().split('?')[0];
  assert.match(await page.getByRole('status').textContent(), /Created/);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Cape Cod Health Sciences College');

  await page.getByRole('link', { name: 'Add agreement' }).click();
  await page.waitForURL(`${schoolUrl}/agreements/new`);
  await assertAccessible(page, 'new agreement form');
  assert.equal(await page.locator('select[name="status"]').count(), 1);
  assert.equal(await page.locator('input[type="date"][name="effective_on"]').count(), 1);
  assert.equal(await page.locator('input[type="date"][name="expires_on"]').count(), 1);
  assert.ok(await page.locator('input[type="checkbox"][name="disciplines"]').count() > 10, 'disciplines are checkboxes');
  await page.getByLabel('Status').selectOption('active');
  await page.getByLabel('In force from').fill('2026-01-01');
  await page.getByLabel('Expires on').fill('2029-12-31');
  await page.getByLabel('Radiography').check();
  await page.getByLabel('Respiratory therapy').check();
  await page.locator('[name="note"]').fill('Signed by both deans; renew in 2029.');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(`${schoolUrl}?done=created`);
  assert.match(await page.getByRole('status').textContent(), /Created/);
  const agreements = page.locator('table', { has: page.locator('caption', { hasText: 'Agreements' }) });
  const rows = agreements.locator('tbody tr');
  assert.equal(await rows.count(), 1, 'the new school has its one agreement');
  const row = await rows.first().textContent();
  assert.match(row, /Thu 1 Jan 2026 – Mon 31 Dec 2029/);
  assert.match(row, /Radiography, Respiratory therapy/);
  assert.match(row, /active/);
  await assertAccessible(page, 'school page');

  // The agreement also shows in the office's list of agreements, filtered to this school.
  const id = schoolUrl.split('/').pop();
  await page.goto(`${server.base}/agreements?school_id=${id}`);
  assert.match(await page.locator('table tbody').textContent(), /Cape Cod Health Sciences College/);
  await context.close();
});

test('Back and Save again goes to the school the first Save created, and creates no second', async () => {
  const { context, page } = await signIn(browser, server.base, 'coordinator');
  await page.goto(`${server.base}/schools/new`);
  const key = await page.locator('input[name="form_key"]').getAttribute('value');
  assert.ok(key, 'the form carries a one-time key');
  const fill = async () => {
    await page.getByLabel('Name').fill('Backtrack College');
    await page.getByLabel('City').fill('Lowell');
    await page.getByLabel('State').fill('MA');
  };
  await fill();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(/\/schools\/[0-9a-f-]{36}\?done=created$/);
  const first = page.url();
  await page.goBack();
  await page.waitForURL(`${server.base}/schools/new`);
  assert.equal(await page.locator('input[name="form_key"]').getAttribute('value'), key,
    'Back shows the same form, with the same key');
  await fill();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(/\/schools\/[0-9a-f-]{36}\?done=created$/);
  assert.equal(page.url(), first, 'the second Save lands on the first school');
  await page.goto(`${server.base}/schools`);
  assert.equal(await page.locator('tbody tr', { hasText: 'Backtrack College' }).count(), 1, 'one school');
  await context.close();
});

test('the expiring filter shows only agreements ending within 90 days', async () => {
  const { context, page } = await signIn(browser, server.base, 'coordinator');
  // Every agreement, and which of them carry the "expiring" badge.
  assert.equal((await page.goto(`${server.base}/agreements`)).status(), 200);
  assert.equal(await page.getByRole('link', { name: /next/i }).count(), 0, 'all agreements fit on one page');
  const all = await agreementRows(page);
  const expiring = all.filter((r) => /^expiring\b/.test(r.badge));
  assert.ok(expiring.length >= 1, 'the demo has agreements expiring within 90 days');
  assert.ok(all.length > expiring.length, 'the demo has agreements that are not expiring');

  const filtered = await page.goto(`${server.base}/agreements?expiring=90`);
  assert.equal(filtered.status(), 200);
  const rows = await agreementRows(page);
  assert.deepEqual(rows.map((r) => r.href).sort(), expiring.map((r) => r.href).sort(),
    'the filter shows exactly the agreements marked expiring');
  const today = Date.parse(isoInDays(0));
  for (const r of rows) {
    assert.match(r.badge, /^expiring in \d+ days?$/, `${r.href} is marked expiring`);
    const days = (Date.parse(`${r.expires} UTC`) - today) / 86400000;
    assert.ok(days >= -1 && days <= 91, `${r.href} expires within 90 days (${r.expires})`);
  }
  await assertAccessible(page, 'agreements expiring within 90 days');

  const csv = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
  const res = await page.request.get(server.base + csv);
  assert.equal(res.status(), 200);
  assert.equal((await res.text()).trim().split('\n').length, rows.length + 1, 'the CSV holds exactly the filtered rows');
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

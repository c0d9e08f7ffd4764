// Lists sort by column, and a refused upload shows its form again (issue 14 points 4 and 5):
// the office sorts students by name both ways from the header, and a file over the limit
// comes back on the same page with why and the limit, inside the layout. Axe on each page.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { signIn, assertAccessible, useServerAndBrowser } = require('./lib');

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

/// The first column's texts of the students table.
async function names(page) {
  return page.locator('tbody tr th').allTextContents();
}

test('the office sorts a list by a column and a refused upload comes back with why', async () => {
  const o = await signIn(browser, server.base, 'admin');
  await o.page.goto(`${server.base}/students`);
  await o.page.getByRole('link', { name: /^Name/ }).click();
  await o.page.waitForURL(/sort=name/);
  const header = o.page.locator('th[aria-sort="ascending"]');
  assert.match(await header.textContent(), /Name/);
  const up = (await names(o.page)).map((n) => n.trim());
  assert.ok(up.length > 2, 'the demo has students');
  const sorted = [...up].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' }));
  assert.deepEqual(up, sorted, 'ascending by last name');
  await assertAccessible(o.page, 'students sorted by name');
  await o.page.getByRole('link', { name: /^Name/ }).click();
  await o.page.waitForURL(/dir=desc/);
  assert.equal(await o.page.locator('th[aria-sort="descending"]').count(), 1);
  const down = (await names(o.page)).map((n) => n.trim());
  assert.ok(down[0].localeCompare(down[down.length - 1], 'en', { sensitivity: 'base' }) >= 0, 'descending');

  // A student's documents page: a file over 10 MB comes back with the form.
  await o.page.locator('tbody tr th a').first().click();
  const student = o.page.url();
  await o.page.goto(`${student}/documents`);
  await o.page.getByLabel('Requirement').selectOption({ index: 1 });
  await o.page.getByLabel('Completed on').fill('2026-11-01');
  await o.page.setInputFiles('#f-file', {
    name: 'scan.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(11 * 1024 * 1024, 32)]),
  });
  await o.page.getByRole('button', { name: 'Send' }).click();
  const alert = o.page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /larger than 10 MB/);
  assert.equal(await o.page.getByLabel('Completed on').inputValue(), '2026-11-01', 'what was typed is kept');
  await o.page.getByRole('navigation', { name: 'Main' }).waitFor();
  await assertAccessible(o.page, 'a refused upload');
  await o.context.close();
});

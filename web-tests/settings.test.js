// The admin's settings page: errors at each field (and accessible), saving with a
// confirmation, and the public page showing the coordinator's contact that was saved.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { signIn, assertAccessible, useServerAndBrowser } = require('./lib');

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

test('the admin saves the settings and the public page shows the contact', async () => {
  const { context, page } = await signIn(browser, server.base, 'admin');
  await page.goto(`${server.base}/settings`);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).waitFor();
  // A bad address is reported at its field and in the summary; what was typed stays.
  await page.getByLabel('Public address').fill('placements.example.org/?x=1');
  await page.getByRole('button', { name: 'Save' }).click();
  const summary = page.getByRole('alert');
  await summary.waitFor();
  assert.equal(await summary.locator('a[href="#f-public_base_url"]').count(), 1);
  assert.equal(await page.locator('#f-public_base_url').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByLabel('Public address').inputValue(), 'placements.example.org/?x=1');
  await assertAccessible(page, 'settings with errors');

  await page.getByLabel('Public address').fill('https://placements.example.org');
  await page.getByLabel('Placement coordinator').fill('Rosa Okafor');
  await page.getByLabel('Email for clinical requests').fill('clinicals@example.org');
  await page.getByLabel('Time zone').selectOption('America/Chicago');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').waitFor();
  assert.match(await page.getByRole('status').textContent(), /saved/);
  assert.equal(await page.getByLabel('Time zone').inputValue(), 'America/Chicago');
  await context.close();

  const visitor = await browser.newContext({ bypassCSP: true });
  const pub = await visitor.newPage();
  await pub.goto(`${server.base}/clinicals`);
  const main = pub.getByRole('main');
  assert.match(await main.textContent(), /Rosa Okafor/);
  assert.equal(await main.getByRole('link', { name: 'clinicals@example.org' }).getAttribute('href'),
    'mailto:clinicals@example.org');
  await assertAccessible(pub, 'public page with the contact');
  await visitor.close();
});

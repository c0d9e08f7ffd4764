// E-mail settings (issue 17 point 4): linked from Notifications, a checkbox per kind of
// notice e-mail in words, saved with a confirmation, and accessible.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { signIn, assertAccessible, useServerAndBrowser } = require('./lib');

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

test('a coordinator turns one kind of e-mail off and keeps the rest', async () => {
  const { context, page } = await signIn(browser, server.base, 'coordinator');
  await page.goto(`${server.base}/notifications`);
  await page.getByRole('link', { name: 'E-mail settings' }).click();
  await page.getByRole('heading', { name: 'E-mail settings' }).waitFor();
  const agreements = page.getByLabel('Affiliation agreements expiring (90, 60 and 30 days before)');
  assert.equal(await agreements.isChecked(), true);
  await assertAccessible(page, 'e-mail settings');
  await agreements.uncheck();
  await page.getByRole('button', { name: 'Save e-mail settings' }).click();
  await page.getByRole('status').waitFor();
  assert.match(await page.getByRole('status').textContent(), /saved/);
  assert.equal(await page.getByLabel('Affiliation agreements expiring (90, 60 and 30 days before)').isChecked(), false);
  assert.equal(await page.getByLabel('Decisions on placement requests').isChecked(), true);
  await context.close();
});

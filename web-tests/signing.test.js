// Signing in the system (issue 14 point 3): the student reads the confidentiality agreement's
// current text on its own page and signs it by typing their name; the office edits the text,
// which becomes a new version. Pages scanned with axe-core.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { signIn, assertAccessible, useServerAndBrowser } = require('./lib');

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

test('the office edits the agreement and the student reads and signs that version', async () => {
  const office = await signIn(browser, server.base, 'coordinator');
  await office.page.goto(`${server.base}/agreement-texts/confidentiality`);
  await assertAccessible(office.page, 'the agreement text form');
  const text = 'I keep confidential every patient\'s information I meet during my placement.\nI sign out of every screen I leave.';
  await office.page.getByLabel('Text students read and sign').fill(text);
  await office.page.getByRole('button', { name: 'Save as a new version' }).click();
  await office.page.getByRole('status').waitFor();
  assert.match(await office.page.getByRole('main').textContent(), /Version 2/);
  await office.context.close();

  const { context, page } = await signIn(browser, server.base, 'student');
  // The student's placements, then the onboarding of one that still asks for the signature.
  const res = await page.request.get(`${server.base}/api/v1/me`);
  assert.equal(res.status(), 401, 'pages use the cookie, the API a token');
  await page.goto(`${server.base}/placements`);
  const hrefs = await page.getByRole('main').getByRole('link')
    .evaluateAll((as) => as.map((a) => a.getAttribute('href')).filter((h) => /^\/placements\/[^/]+$/.test(h)));
  let signed = false;
  for (const href of hrefs) {
    await page.goto(`${server.base}${href}/onboarding`);
    const link = page.getByRole('link', { name: /^Read and sign: Confidentiality/ });
    if (!(await link.count())) continue;
    await link.click();
    await page.getByRole('heading', { name: /version 2/ }).waitFor();
    assert.match(await page.locator('.agreement-text').textContent(), /sign out of every screen/);
    await assertAccessible(page, 'the signing page');
    await page.getByLabel('Your full name').fill('');
    await page.getByRole('button', { name: 'I have read it and I sign' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByLabel('Your full name').fill('Demo Student');
    await page.getByRole('button', { name: 'I have read it and I sign' }).click();
    await page.getByRole('status').waitFor();
    assert.equal(await page.getByRole('link', { name: /^Read and sign: Confidentiality/ }).count(), 0);
    signed = true;
    break;
  }
  assert.ok(signed, 'a demo placement of the student asks for the confidentiality agreement');
  await context.close();
});

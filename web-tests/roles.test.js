// Every role signs in, sees its home page and navigation, and every page in its navigation
// answers with a heading and passes an axe-core scan.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { signIn, assertAccessible, USERS, useServerAndBrowser } = require('./lib');

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

test('the sign-in and public pages are accessible', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  for (const p of ['/login', '/clinicals']) {
    const res = await page.goto(server.base + p);
    assert.equal(res.status(), 200, p);
    await assertAccessible(page, p);
  }
  await context.close();
});

test('the accessibility scan fails on a serious violation (it can fail)', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${server.base}/login`);
  // An unlabelled field and an image without a text alternative: both "critical" in axe-core.
  await page.evaluate(() => {
    document.querySelector('main').insertAdjacentHTML('beforeend', '<input type="text" name="x"><img src="/x.png">');
  });
  await assert.rejects(assertAccessible(page, 'a broken /login'), /label \(critical\)[\s\S]*image-alt \(critical\)|image-alt \(critical\)[\s\S]*label \(critical\)/);
  await context.close();
});

for (const role of Object.keys(USERS)) {
  test(`${role}: home, navigation, and every main page`, async () => {
    const { context, page } = await signIn(browser, server.base, role);
    await assert.doesNotReject(page.getByRole('heading', { level: 1 }).waitFor());
    // The shell: a banner with the person and a way out, the main content.
    const banner = page.getByRole('banner');
    assert.equal(await banner.getByRole('button', { name: 'Sign out' }).count(), 1, 'the header has Sign out');
    assert.equal(await page.getByRole('main').count(), 1);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.waitFor();
    const links = await nav.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.ok(links.length >= 2, `${role} has a navigation`);
    await assertAccessible(page, `${role} home`);
    for (const href of links) {
      const res = await page.goto(server.base + href);
      assert.equal(res.status(), 200, `${role} ${href}`);
      const h1 = await page.getByRole('heading', { level: 1 }).textContent();
      assert.ok(h1.trim().length > 0, `${href} has a heading`);
      const current = await page.locator('nav[aria-label="Main"] a[aria-current="page"]').getAttribute('href');
      assert.equal(current, href, `${href} is marked current`);
      await assertAccessible(page, `${role} ${href}`);
    }
    await context.close();
  });
}

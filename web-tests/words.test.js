// Pages that speak the office's words (issue 14 point 5): an error page keeps the layout and
// the navigation; a record's history reads in words and dates; the manager's home counts
// seats; no button leads a preceptor to a refusal; placements filter by start window and
// clearance. Each page scanned with axe-core.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { signIn, assertAccessible, useServerAndBrowser } = require('./lib');

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

test('error pages, history, home tiles and filters speak the office\'s words', async () => {
  const o = await signIn(browser, server.base, 'admin');
  const res = await o.page.goto(`${server.base}/requests/00000000-0000-7000-8000-000000000000`);
  assert.equal(res.status(), 404);
  await o.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Requests' }).waitFor();
  await assertAccessible(o.page, 'a 404 inside the layout');

  // A staff member's history: fields and dates in words, no JSON, no ids.
  await o.page.goto(`${server.base}/staff`);
  await o.page.locator('tbody tr a').first().click();
  const staffUrl = o.page.url();
  await o.page.goto(`${staffUrl}/edit`);
  const expiry = o.page.getByLabel(/Licen[cs]e expires/);
  assert.equal(await expiry.count(), 1);
  {
    await expiry.fill('2031-12-31');
    await o.page.getByRole('button', { name: /Save/ }).click();
    await o.page.goto(`${staffUrl.replace('/staff/', '/history/staff/')}`);
    const text = await o.page.locator('main').textContent();
    assert.match(text, /License expires: .*→ Wed 31 Dec 2031/);
    assert.doesNotMatch(text, /[{}"]|2031-12-31/);
    await assertAccessible(o.page, 'history');
  }

  // Placements starting within 14 days and not cleared, from the filter bar.
  await o.page.goto(`${server.base}/placements`);
  await o.page.getByLabel('Starting within').selectOption('14');
  await o.page.getByLabel('Clearance').selectOption('not_cleared');
  await o.page.getByRole('button', { name: /Filter|Apply|Show/ }).first().click();
  assert.match(o.page.url(), /starting=14/);
  assert.match(o.page.url(), /clearance=not_cleared/);
  await assertAccessible(o.page, 'placements filtered');
  await o.context.close();

  // The manager's home card is a number.
  const m = await signIn(browser, server.base, 'department_manager');
  const tile = m.page.locator('.tiles a', { hasText: 'seats free this week' });
  assert.match(await tile.locator('.tile-value').textContent(), /^\d+$/);
  await m.context.close();

  // A preceptor's onboarding page has no Documents button (it would answer 403).
  const p = await signIn(browser, server.base, 'preceptor');
  await p.page.goto(`${server.base}/placements`);
  const first = p.page.locator('tbody tr a').first();
  assert.ok(await first.count(), 'the demo preceptor has students');
  {
    await first.click();
    const checklist = p.page.getByRole('link', { name: 'Onboarding checklist' });
    assert.ok(await checklist.count(), 'an onboarding checklist');
    {
      await checklist.click();
      assert.equal(await p.page.getByRole('link', { name: 'Documents', exact: true }).count(), 0);
      await assertAccessible(p.page, 'onboarding for a preceptor');
    }
  }
  await p.context.close();
});

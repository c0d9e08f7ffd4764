// The office's dashboard on its home (issue 17 part 1): the home passes axe, every figure is a
// number with its words, and clicking one lands on its list showing exactly that many rows.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { signIn, assertAccessible, useServerAndBrowser } = require('./lib');

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

test('a number on the office home opens the list of exactly its rows', async () => {
  const { context, page } = await signIn(browser, server.base, 'coordinator');
  await page.goto(`${server.base}/`);
  await page.getByRole('heading', { name: "This term's placements" }).waitFor();
  assert.match(await page.locator('#this-term').textContent(), /This term is (Spring|Summer|Fall) \d{4}/);
  await assertAccessible(page, 'the office dashboard');

  // Every figure is a number with its words, linked.
  const figures = page.locator('[data-figure]');
  const n = await figures.count();
  assert.ok(n >= 15, `the dashboard shows its figures (${n})`);
  const found = [];
  for (let i = 0; i < n; i++) {
    const f = figures.nth(i);
    const key = await f.getAttribute('data-figure');
    const count = Number(await f.locator('.tile-value').textContent());
    assert.ok(Number.isInteger(count), `${key} is a number`);
    assert.ok((await f.locator('.tile-label').textContent()).trim().length > 0, `${key} has words`);
    found.push({ key, count });
  }

  // A placements figure that fits on one page: click it, land on its list with that many rows.
  const pick = found.find((f) => f.key.startsWith('state-') && f.count > 0 && f.count <= 50)
    ?? found.find((f) => f.count > 0 && f.count <= 50 && f.key !== 'hours-overdue');
  assert.ok(pick, `a figure to follow: ${JSON.stringify(found)}`);
  await page.locator(`[data-figure="${pick.key}"] a`).click();
  await page.waitForLoadState('load');
  assert.doesNotMatch(page.url(), /\/$/, 'left the home');
  const rows = await page.locator('main table tbody tr').count();
  assert.equal(rows, pick.count, `${pick.key}: ${page.url()} lists ${rows} rows`);
  assert.match(await page.locator('p.count').textContent(), new RegExp(`^${pick.count} shown`));
  await assertAccessible(page, `the list behind ${pick.key}`);
  await context.close();
});

// Term planning: the office plans the coming term from the demo's open requests, watches the
// allocator, reviews the proposal and accepts it into placements.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { signIn, assertAccessible, poll, useServerAndBrowser } = require('./lib');

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

test('a running plan shows its score, its proven bound and the seconds used as they change', async () => {
  const { page } = await signIn(browser, server.base, 'coordinator');
  await page.goto(`${server.base}/planning`);
  await page.getByLabel('Time limit in seconds').fill('120');
  await page.getByRole('button', { name: 'Plan this term' }).click();
  await page.waitForURL(/\/planning\/runs\/[0-9a-f-]{36}$/);
  await assertAccessible(page, 'running plan');
  const words = page.locator('[data-progress-text]');
  const line = page.locator('[data-progress-chart] polyline[data-line="objective"]');
  // The page's script refreshes the words and both lines from the server while it runs.
  const seen = await poll(async () => {
    const text = await words.textContent();
    const points = (await line.getAttribute('points')) || '';
    const m = text.match(/\(([\d.]+) s used of 120 s\)/);
    return m && Number(m[1]) > 0 && points.split(' ').length >= 2 ? text : null;
  }, 30000, 'live progress with a chart');
  assert.match(seen, /at least \d+\.\d% of the best possible plan \(proven\)/);
  const before = Number(seen.match(/([\d.]+) s used/)[1]);
  await poll(async () => {
    const m = (await words.textContent()).match(/([\d.]+) s used/);
    return m && Number(m[1]) > before;
  }, 15000, 'the seconds used move on');
  await page.getByRole('button', { name: 'Stop and keep the best so far' }).click();
  await poll(async () => (await page.getByRole('heading', { name: 'How each school is served' }).count()) > 0,
    30000, 'the proposal after stopping');
  assert.match(await page.locator('.facts').textContent(), /cancelled/);
});

test('the office plans a term and accepts the proposal', async () => {
  const { page } = await signIn(browser, server.base, 'coordinator');
  await page.getByRole('link', { name: 'Term planning' }).click();
  await page.waitForURL(`${server.base}/planning`);
  await assertAccessible(page, 'planning page');
  const boxes = page.locator('input[name="request"]');
  const asked = await boxes.count();
  assert.ok(asked >= 5, `the demo has open requests in the coming term (${asked})`);
  await page.getByLabel('Time limit in seconds').fill('2');
  await page.getByRole('button', { name: 'Plan this term' }).click();
  await page.waitForURL(/\/planning\/runs\/[0-9a-f-]{36}$/);

  // The page reloads itself when the run has an answer.
  await poll(async () => (await page.getByRole('heading', { name: 'How each school is served' }).count()) > 0,
    60000, 'the proposal');
  await assertAccessible(page, 'planning run');
  const facts = await page.locator('.facts').textContent();
  assert.match(facts, /done/);
  assert.match(facts, /Placed\s*\d+ of \d+ students/);
  assert.match(facts, /at least \d+\.\d% of the best possible plan \(proven\)/);
  // How the plan was found: the score and the proven bound over the seconds, drawn.
  await page.getByRole('heading', { name: 'How the plan was found' }).waitFor();
  const chart = page.getByRole('img', { name: /best plan's score and the proven bound/ });
  assert.equal(await chart.count(), 1);
  assert.match(await chart.locator('desc').textContent(), /seconds the best plan's score went from/);
  assert.ok(await page.getByRole('table', { name: /Seats used per week/ }).count() > 0 ||
    await page.locator('caption', { hasText: 'Seats used per week' }).count() > 0);

  // The problem and the solution download as the allocator's JSON formats.
  const runUrl = page.url();
  const problem = await (await page.request.get(`${runUrl}/problem.json`)).json();
  assert.equal(problem.format, 'practicum-allocation/1');
  const solution = await (await page.request.get(`${runUrl}/solution.json`)).json();
  assert.equal(solution.format, 'practicum-allocation-solution/1');

  const tickedIds = await page.locator('input[name="accept"]:checked')
    .evaluateAll((boxes) => boxes.map((b) => b.value));
  const ticked = tickedIds.length;
  assert.ok(ticked >= 1, 'some requests are placed in full');
  await page.getByRole('button', { name: 'Accept the ticked requests' }).click();
  await page.getByRole('heading', { name: 'Accepted' }).waitFor();
  const outcome = await page.locator('.outcome').textContent();
  const approved = Number((outcome.match(/(\d+) request\(s\) approved/) || [])[1]);
  assert.equal(approved, ticked, outcome);

  // Exactly the ticked requests are now approved, each with its placements: read on each
  // request's own page, not on a list the demo's own approvals would also fill.
  for (const id of tickedIds) {
    assert.equal((await page.goto(`${server.base}/requests/${id}`)).status(), 200);
    const main = await page.locator('main').textContent();
    assert.match(main, /Status\s*approved\b/i, `request ${id} is approved`);
    assert.ok(await page.locator(`a[href^="/placements/"]`).count() >= 1, `request ${id} has placements`);
  }
});

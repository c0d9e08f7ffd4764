// The front door: a school submits a request, the office approves it into placements, the
// school sees the decision; a member of the public is routed by the inquiry form.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { signIn, assertAccessible, isoInDays, useServerAndBrowser } = require('./lib');

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

test('a school submits a request and the office approves it into a placement', async () => {
  const school = await signIn(browser, server.base, 'school_coordinator');
  const page = school.page;
  await page.goto(`${server.base}/requests/new`);
  await assertAccessible(page, 'request form');
  // The internship's fields show only for an internship.
  await page.getByLabel('Kind').selectOption('internship');
  assert.ok(await page.getByLabel('Course code (internships)').isVisible());
  await page.getByLabel('Kind').selectOption('clinical');
  assert.equal(await page.getByLabel('Course code (internships)').isVisible(), false);
  assert.equal(await page.getByLabel(/Faculty supervisor's email/).isVisible(), false);
  const program = page.getByLabel('Program');
  const radiography = await program.locator('option', { hasText: /Radiolog|Radiograph/ }).first().getAttribute('value');
  await program.selectOption(radiography);
  await page.getByLabel('First day').fill(isoInDays(300));
  await page.getByLabel('Last day').fill(isoInDays(340));
  await page.getByLabel('Hours per week').fill('32');
  await page.getByLabel('Unnamed places').fill('1');
  await page.getByRole('button', { name: 'Submit request' }).click();
  await page.waitForURL(/\/requests\/[0-9a-f-]{36}\?done=created$/);
  const url = page.url().split('?')[0];
  assert.match(await page.locator('.facts').textContent(), /submitted/);
  assert.match(await page.locator('.facts').textContent(), /eligible/);

  const office = await signIn(browser, server.base, 'coordinator');
  const o = office.page;
  await o.goto(`${server.base}/requests`);
  await assertAccessible(o, 'request queue');
  // The queue opens newest first: the request just sent is the first row.
  assert.equal(await o.locator('th[aria-sort="descending"]').count(), 1);
  assert.equal(await o.locator('tbody tr').first().locator('a').first().getAttribute('href'), new URL(url).pathname);
  await o.goto(`${url}/decide`);
  await assertAccessible(o, 'decision form');
  // Each department with its free seats; each preceptor with department, free slots, licence.
  const deptLabels = await o.getByLabel('Unnamed place 1: department').locator('option').allTextContents();
  assert.ok(deptLabels.length > 0 && deptLabels.every((l) => /seats/.test(l)), deptLabels.join('\n'));
  const preceptor = o.getByLabel('Unnamed place 1: preceptor');
  assert.equal(await preceptor.locator('optgroup').first().getAttribute('label'), 'Would pass every check');
  const chosen = await preceptor.locator('option:checked').textContent();
  assert.match(chosen, / — .+: \d+ of \d+ free/);
  assert.equal(await o.locator('label[for="f-d0_preceptor"] .optional').count(), 0, 'a clinical needs a preceptor');
  assert.match(await o.locator('.intro').textContent(), /preferences|no preference/);
  // Approved on the first try, as suggested.
  await o.getByLabel('Decision').selectOption('approve');
  await o.getByRole('button', { name: 'Record the decision' }).click();
  assert.match(o.url(), /done=saved/, await o.locator('main').textContent());
  assert.match(await o.locator('.facts').textContent(), /approved/);
  await o.getByRole('link', { name: /–/ }).first().click();
  assert.match(await o.locator('.facts').textContent(), /proposed/);
  await assertAccessible(o, 'placement page');

  await page.goto(url);
  assert.match(await page.locator('.facts').textContent(), /approved/);
  await school.context.close();
  await office.context.close();
});

test('a non-student asking for a clinical is routed to job shadowing', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${server.base}/clinicals`);
  await page.getByLabel('Your name').fill('Sam Rivera');
  await page.getByLabel('Your email').fill('sam.rivera@example.org');
  await page.getByLabel('What are you interested in?').selectOption('clinical');
  await page.getByRole('button', { name: 'Send' }).click();
  assert.match(await page.getByRole('status').textContent(), /Thank you/);
  assert.match(await page.locator('main').textContent(), /job shadowing/);
  await assertAccessible(page, 'inquiry answer');
  await context.close();
});

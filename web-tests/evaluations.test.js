// Issue 16 point 2: the preceptor starts the student's midterm evaluation from their home,
// is told at each item what signing still needs, fills it and signs it (locked: the form is
// gone, a correction is offered); the student finds it on their home, acknowledges it with a
// comment, and prints it. Each page is scanned with axe-core.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { signIn, assertAccessible, USERS, useServerAndBrowser } = require('./lib');

const PASSWORD = 'practicum-demo';

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

// Found by the first test: the evaluation's page.
let evaluationPath = null;

test('the preceptor fills and signs a midterm evaluation from their home', async () => {
  // The demo student's name, as the preceptor's list shows it.
  const login = await fetch(`${server.base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: USERS.student, password: PASSWORD }),
  });
  const me = (await login.json()).user;
  assert.ok(me.name, 'the demo student has a name');

  const { context, page } = await signIn(browser, server.base, 'preceptor');
  const todo = page.locator('section#evaluations-to-do');
  await todo.waitFor();
  await assertAccessible(page, 'preceptor home with evaluations to do');
  const row = todo.locator('tbody tr').filter({ hasText: me.name }).filter({ hasText: 'Midterm evaluation' });
  await row.getByRole('link', { name: 'Start: Midterm evaluation' }).click();
  await page.getByRole('heading', { level: 1, name: 'Midterm evaluation: start' }).waitFor();
  await assertAccessible(page, 'a new evaluation');
  await page.getByLabel(/Practises safely/).selectOption('4');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.waitForURL((u) => /^\/evaluations\/[0-9a-f-]{36}$/.test(u.pathname));
  evaluationPath = new URL(page.url()).pathname;
  await page.getByText('4 – competent').waitFor();

  // Signing too early names every item still to answer, at the item.
  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Sign', exact: true }).click();
  await page.getByRole('alert').waitFor();
  assert.ok((await page.getByText(/needs an answer/).count()) >= 2);
  await assertAccessible(page, 'signing a draft with items missing');
  await page.getByLabel(/Performs the discipline's procedures/).selectOption('3');
  await page.getByLabel(/Uses critical thinking/).selectOption('3');
  await page.getByLabel(/Communicates clearly/).selectOption('5');
  await page.getByLabel(/Is punctual/).selectOption('4');
  await page.getByLabel(/Keeps patient information confidential/).selectOption('met');
  await page.getByLabel(/Areas to develop/).fill('Position patients with less help');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.waitForURL((u) => u.pathname === evaluationPath);

  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Sign', exact: true }).click();
  await page.waitForURL((u) => u.pathname === evaluationPath && u.searchParams.get('done') === 'signed');
  await page.getByText('Signed by', { exact: true }).waitFor();
  // Locked: no more editing, a correction instead.
  assert.equal(await page.getByRole('link', { name: 'Edit', exact: true }).count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Sign', exact: true }).count(), 0);
  await page.getByRole('link', { name: 'Correct', exact: true }).waitFor();
  await assertAccessible(page, 'a signed evaluation');
  await context.close();
});

test('the student acknowledges the signed evaluation with a comment', async () => {
  assert.ok(evaluationPath, 'the first test signed an evaluation');
  const { context, page } = await signIn(browser, server.base, 'student');
  const todo = page.locator('section#evaluations-to-do');
  await todo.waitFor();
  await todo.getByRole('link', { name: 'Acknowledge: Midterm evaluation' }).click();
  await page.waitForURL((u) => u.pathname === evaluationPath);
  await page.getByText('Position patients with less help').waitFor();
  await assertAccessible(page, 'the student reads their evaluation');
  await page.getByRole('link', { name: 'Acknowledge', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Acknowledge your midterm evaluation' }).waitFor();
  await page.getByText('it does not say you agree').waitFor();
  await assertAccessible(page, 'acknowledging');
  await page.getByLabel(/Your comment/).fill('I see communication differently');
  await page.getByRole('button', { name: 'Acknowledge', exact: true }).click();
  await page.waitForURL((u) => u.pathname === evaluationPath && u.searchParams.get('done') === 'acknowledged');
  await page.getByText('I see communication differently').waitFor();
  await page.getByText(/acknowledging is not agreeing/).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Acknowledge', exact: true }).count(), 0);
  // It prints.
  const pdf = await context.request.get(`${server.base}${evaluationPath}/pdf`);
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');
  await context.close();
});

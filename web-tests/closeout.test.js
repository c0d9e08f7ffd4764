// Issue 16 points 4 and 6: an intern proposes learning objectives and a milestone on the
// internship's project page and the faculty member agrees; the office ticks an offboarding
// task of a placement that ended. Each page is scanned with axe-core.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { signIn, assertAccessible, USERS, isoInDays, useServerAndBrowser } = require('./lib');

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

async function api(token, method, p, body) {
  const res = await fetch(server.base + p, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function login(email, password) {
  const res = await fetch(`${server.base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  assert.equal(res.status, 200, `sign-in of ${email}`);
  return (await res.json()).token;
}

test('an intern proposes objectives and a milestone; the faculty member agrees', async () => {
  const admin = await login(USERS.admin, 'practicum-demo');
  const faculty = await login(USERS.faculty, 'practicum-demo');
  // One of the demo faculty member's interns, given a sign-in for this test.
  const mine = await api(faculty, 'GET', '/api/v1/placements?kind=internship&limit=500');
  assert.equal(mine.status, 200);
  const internship = mine.body.items.find((p) => p.student_id && !['cancelled', 'completed'].includes(p.status));
  assert.ok(internship, 'the demo faculty member supervises an intern');
  const email = `intern-${Date.now()}@demo.practicum.test`;
  const password = 'an intern passphrase for the browser test';
  const made = await api(admin, 'POST', '/api/v1/users', {
    email, name: 'Ines Intern', role: 'student', password, student_id: internship.student_id,
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));

  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.base}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${server.base}/`);
  // From the placement page to its project.
  await page.goto(`${server.base}/placements/${internship.id}`);
  await page.getByRole('link', { name: /^Project:/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Internship project' }).waitFor();
  await assertAccessible(page, 'the project, empty');

  // An objective; a milestone without its date is refused at the field, then given one.
  await page.getByRole('link', { name: 'Add an objective or milestone' }).click();
  await page.getByLabel('Title').fill('Analyse the discharge process for delays');
  await page.getByRole('button', { name: 'Add' }).click();
  await page.waitForURL((u) => u.pathname === `/placements/${internship.id}/project`);
  await page.getByRole('link', { name: 'Add an objective or milestone' }).click();
  await page.getByLabel('Kind').selectOption('milestone');
  await page.getByLabel('Title').fill('Current-state process map');
  await page.getByRole('button', { name: 'Add' }).click();
  await page.getByRole('alert').waitFor();
  await assertAccessible(page, 'a milestone without its due date');
  await page.getByLabel(/^Due/).fill(isoInDays(30));
  await page.getByRole('button', { name: 'Add' }).click();
  await page.waitForURL((u) => u.pathname === `/placements/${internship.id}/project`);
  const objectives = page.locator('section#learning-objectives');
  await objectives.getByRole('rowheader', { name: 'Analyse the discharge process for delays' }).waitFor();
  await page.locator('section#milestones').getByRole('rowheader', { name: 'Current-state process map' }).waitFor();
  await page.locator('section#milestones').getByText('Planned').waitFor();
  // The student proposes; only the faculty member and the site mentor agree.
  assert.equal(await page.getByRole('button', { name: 'Agree to the plan' }).count(), 0);
  await assertAccessible(page, 'the project, proposed');
  await context.close();

  const f = await signIn(browser, server.base, 'faculty');
  await f.page.goto(`${server.base}/placements/${internship.id}/project`);
  await f.page.getByRole('heading', { level: 1, name: 'Internship project' }).waitFor();
  await f.page.getByRole('button', { name: 'Agree to the plan' }).click();
  await f.page.waitForURL((u) => u.pathname === `/placements/${internship.id}/project`);
  await f.page.getByText(/agreed by .+ on /).first().waitFor();
  await assertAccessible(f.page, 'the project, agreed by the faculty member');
  await f.context.close();
  const project = await api(faculty, 'GET', `/api/v1/placements/${internship.id}/project`);
  assert.equal(project.status, 200);
  assert.ok(project.body.faculty_agreement, 'the faculty agreement is recorded');
  assert.equal(project.body.objectives.length, 1);
  assert.equal(project.body.milestones[0].status, 'planned');
});

test('the office ticks an offboarding task of a cancelled placement', async () => {
  const office = await login(USERS.coordinator, 'practicum-demo');
  // A placement whose badge the office hands out, then cancelled: the badge is to collect.
  const open = await api(office, 'GET', '/api/v1/placements?limit=500');
  let ended = null;
  for (const p of open.body.items) {
    if (!p.student_id || ['cancelled', 'completed', 'active'].includes(p.status)) continue;
    const ticked = await api(office, 'POST', `/api/v1/placements/${p.id}/provisioning`, { requirement_code: 'badge' });
    if (ticked.status !== 201) continue;
    const cancelled = await api(office, 'POST', `/api/v1/placements/${p.id}/transition`, { to: 'cancelled', reason: 'The student withdrew' });
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    ended = p;
    break;
  }
  assert.ok(ended, 'a placement was provisioned and cancelled');

  const { context, page } = await signIn(browser, server.base, 'coordinator');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Offboarding' }).click();
  await page.getByRole('heading', { level: 1, name: 'Offboarding' }).waitFor();
  await page.getByLabel('State').selectOption('open');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.waitForURL((u) => u.searchParams.get('state') === 'open');
  await assertAccessible(page, 'offboarding, open tasks');
  const csvHref = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
  const csv = await context.request.get(`${server.base}${csvHref}`);
  assert.equal(csv.status(), 200);
  assert.match((await csv.body()).toString('utf8'), /Collect the badge/);

  await page.goto(`${server.base}/offboarding?placement_id=${ended.id}`);
  await page.getByRole('link', { name: 'Collect the badge' }).click();
  await page.getByRole('heading', { level: 1, name: 'Collect the badge' }).waitFor();
  await page.getByRole('button', { name: 'Mark done' }).click();
  await page.getByText(/Your changes are saved/).waitFor();
  const me = (await api(office, 'GET', '/api/v1/me')).body;
  await page.getByText(new RegExp(`^${me.name}, `)).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Mark done' }).count(), 0);
  await assertAccessible(page, 'an offboarding task, done');
  const tasks = await api(office, 'GET', `/api/v1/offboarding?placement_id=${ended.id}`);
  assert.equal(tasks.body.items[0].state, 'done');
  assert.equal(tasks.body.items[0].done_by_name, me.name);
  await context.close();
});

// Issue 15: the student's schedule (week and month views, the private calendar link that a
// new link revokes), the office adding a make-up day from the placement page, and who is on
// site on a day (marked rows, CSV, printable), each page scanned with axe-core.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { signIn, assertAccessible, useServerAndBrowser } = require('./lib');

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

// Found by the first test: the student's first shift (its day and its placement).
let firstShift = null;

test("the student's schedule: week, month, a private calendar link", async () => {
  const { context, page } = await signIn(browser, server.base, 'student');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Schedule' }).click();
  await page.getByRole('heading', { level: 1, name: 'My schedule' }).waitFor();
  await assertAccessible(page, 'my schedule (week)');
  // The demo's placement starts in a few weeks: step week by week until its shifts show.
  const shiftLinks = page.locator('table.calendar li a');
  for (let i = 0; i < 12 && (await shiftLinks.count()) === 0; i += 1) {
    const url = page.url();
    await page.getByRole('link', { name: 'Next week' }).click();
    await page.waitForURL((u) => u.toString() !== url);
  }
  assert.ok((await shiftLinks.count()) > 0, 'a week with shifts');
  const cell = page.locator('table.calendar td').filter({ has: page.locator('li') }).first();
  const href = await cell.locator('a').first().getAttribute('href');
  firstShift = { date: await cell.getAttribute('data-date'), placement: href.split('#')[0] };
  assert.match(firstShift.date, /^\d{4}-\d{2}-\d{2}$/);
  assert.match(await cell.locator('a').first().innerText(), /\d\d:\d\d–\d\d:\d\d/);
  // The same shifts, one a line, in a table with headers.
  assert.ok((await page.getByRole('table', { name: /every shift/ }).locator('tbody tr').count()) > 0);

  // The month view: a grid of weeks, Monday first.
  await page.getByRole('link', { name: 'Month' }).click();
  await page.locator('table.calendar-month').waitFor();
  assert.ok((await page.locator('table.calendar-month tbody tr').count()) >= 4);
  assert.equal(await page.locator('table.calendar-month thead th').first().innerText(), 'Mon');
  await assertAccessible(page, 'my schedule (month)');

  // At 360 px the grid scrolls inside its box; the page does not.
  await page.setViewportSize({ width: 360, height: 740 });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'fits 360 px');
  await page.setViewportSize({ width: 1280, height: 900 });

  // A calendar link, shown once; it needs no session; a new one kills it.
  await page.getByRole('button', { name: 'Make a calendar link' }).click();
  const link = page.getByLabel(/Your new calendar link/);
  await link.waitFor();
  const url = await link.inputValue();
  assert.match(url, /\/calendar\/[A-Za-z0-9_-]+\.ics$/);
  const path = url.slice(url.indexOf('/calendar/'));
  const feed = await fetch(`${server.base}${path}`);
  assert.equal(feed.status, 200);
  const text = await feed.text();
  assert.match(text, /BEGIN:VCALENDAR/);
  assert.match(text, /UID:shift-/);
  await assertAccessible(page, 'my schedule with a new calendar link');
  await page.getByRole('button', { name: 'Make a new link' }).click();
  await page.getByText('the old one no longer works').waitFor();
  const renewed = await page.getByLabel(/Your new calendar link/).inputValue();
  assert.notEqual(renewed, url);
  assert.equal((await fetch(`${server.base}${path}`)).status, 404);
  await context.close();
});

test('the office adds a make-up day from the placement page', async () => {
  assert.ok(firstShift, 'the first test found a shift');
  const { context, page } = await signIn(browser, server.base, 'coordinator');
  await page.goto(`${server.base}${firstShift.placement}`);
  await page.locator('section#shifts').waitFor();
  await page.getByRole('link', { name: 'Add a make-up day' }).click();
  await page.getByRole('heading', { level: 1, name: 'Add a make-up day' }).waitFor();
  // Equal times are refused at the field, with the summary.
  await page.getByLabel('Day').fill(firstShift.date);
  await page.getByLabel('Starts at').fill('20:00');
  await page.getByLabel('Ends at').fill('20:00');
  await page.getByRole('button', { name: 'Add the day' }).click();
  await page.getByRole('alert').waitFor();
  await assertAccessible(page, 'make-up day with an error');
  await page.getByLabel('Ends at').fill('23:00');
  await page.getByRole('button', { name: 'Add the day' }).click();
  await page.waitForURL((u) => u.pathname === firstShift.placement);
  await page.locator('section#shifts').getByText('make-up day').first().waitFor();
  await assertAccessible(page, 'placement with its shifts');
  // Cancel that day: a reason is required; then it reads cancelled, with the reason.
  await page.locator('section#shifts').getByRole('link', { name: /^Change / }).last().click();
  await page.getByRole('heading', { level: 1, name: /^Change the shift of / }).waitFor();
  await page.getByLabel('Status').selectOption('cancelled');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('alert').waitFor();
  await assertAccessible(page, 'cancelling a day without a reason');
  await page.getByLabel(/Reason to cancel/).fill('Ward closed for cleaning');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL((u) => u.pathname === firstShift.placement);
  await page.locator('section#shifts').getByText('cancelled: Ward closed for cleaning').waitFor();
  await context.close();
});

test('who is on site: marked rows, CSV, printable', async () => {
  assert.ok(firstShift, 'the first test found a shift');
  const { context, page } = await signIn(browser, server.base, 'coordinator');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'On site today' }).click();
  await page.getByRole('heading', { level: 1, name: 'Who is on site' }).waitFor();
  await page.getByLabel('Day').fill(firstShift.date);
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.waitForURL((u) => u.searchParams.get('date') === firstShift.date);
  const rows = page.getByRole('table').locator('tbody tr');
  assert.ok((await rows.count()) > 0, 'someone is on site');
  // The demo's students are not all cleared: those rows say so in words.
  assert.ok((await page.getByText('check before entry').count()) > 0);
  await assertAccessible(page, 'who is on site');
  const csvHref = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
  const csv = await context.request.get(`${server.base}${csvHref}`);
  assert.equal(csv.status(), 200);
  const body = await csv.body();
  assert.deepEqual([...body.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte-order mark');
  assert.match(body.toString('utf8'), /Student,Site,Department,Hours,Supervisor,Clearance,Badge,Risks,Attention/);
  // Printed, the navigation and the filters are left out.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.sidenav').isVisible(), false);
  assert.equal(await page.locator('form.filters').isVisible(), false);
  await context.close();

  // The department manager sees their department's list.
  const manager = await signIn(browser, server.base, 'department_manager');
  await manager.page.goto(`${server.base}/on-site?date=${firstShift.date}`);
  await manager.page.getByRole('heading', { level: 1, name: 'Who is on site' }).waitFor();
  await assertAccessible(manager.page, 'who is on site (department manager)');
  await manager.context.close();
});

// The office's reports (issue 17 part 2): the coordinator opens the reports, picks one, reads
// how it counts, follows its total to the list it summarises (the same number of distinct
// students), scans the page with axe, and downloads its CSV and its XLSX — the XLSX opened
// back with a reader (exceljs) holds exactly the rows of the page's table.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const ExcelJS = require('exceljs');
const { signIn, assertAccessible, useServerAndBrowser } = require('./lib');

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

/// Clicks the link named `name` and returns the download's bytes and file name.
async function download(page, name) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
  const file = await d.path();
  return { bytes: fs.readFileSync(file), name: d.suggestedFilename() };
}

test('the office reads a report, reconciles its total and downloads it as CSV and XLSX', async () => {
  const o = await signIn(browser, server.base, 'coordinator', { bypassCSP: true });
  const page = o.page;
  await page.goto(`${server.base}/reports`);
  await assertAccessible(page, 'the reports');
  await page.getByRole('link', { name: 'Students placed, year over year' }).click();
  await page.waitForURL(/\/reports\/placed/);
  await page.getByRole('heading', { name: 'How it counts' }).waitFor();
  const chart = page.locator('svg[role="img"]');
  assert.equal(await chart.count(), 1, 'one chart');
  assert.ok((await chart.locator('desc').textContent()).includes('table below'), 'the chart says where its figures are');

  // Group by school for 2027, through the filter form.
  await page.getByLabel('Group by').selectOption('school');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.waitForURL(/by=school/);
  await assertAccessible(page, 'the placed students by school');
  const total = await page.locator('.report-total strong').textContent();
  const m = total.match(/: (\d+)$/);
  assert.ok(m, total);
  const students = Number(m[1]);
  assert.ok(students > 0, 'the demo places students');
  const tableRows = await page.locator('main table tbody tr').count();

  // The total is the distinct students of the list it links to.
  const listHref = await page.getByRole('link', { name: 'See them in the list' }).getAttribute('href');
  assert.match(listHref, /^\/placements\?from=2027-01-01&to=2027-12-31&placed=true/);
  const reportUrl = page.url();
  await page.goto(`${server.base}${listHref}`);
  await assertAccessible(page, 'the placements the report counts');
  const names = new Set();
  for (;;) {
    for (const t of await page.locator('main table tbody tr th').allTextContents()) {
      if (t.trim()) names.add(t.trim());
    }
    const next = page.getByRole('link', { name: 'Next page' });
    if ((await next.count()) === 0) break;
    await next.click();
    await page.waitForLoadState();
  }
  names.delete('(to be named)');
  assert.equal(names.size, students, `the report total and the list agree: ${[...names].join(', ')}`);
  await page.goto(reportUrl);

  // CSV: the byte-order mark, the column keys, one line per row of the table.
  const csv = await download(page, 'Download CSV');
  assert.equal(csv.name, 'placed-2027.csv');
  assert.deepEqual([...csv.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
  const lines = csv.bytes.toString('utf8').slice(1).split('\r\n').filter(Boolean);
  assert.equal(lines[0], 'key,name,two_years_back,one_year_back,students');
  assert.equal(lines.length, tableRows + 1);

  // XLSX: opened back, the same header and rows; figures are numbers.
  const xlsx = await download(page, 'Download XLSX');
  assert.equal(xlsx.name, 'placed-2027.xlsx');
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(xlsx.bytes);
  const sheet = book.getWorksheet('Report');
  assert.ok(sheet, 'a Report sheet');
  assert.deepEqual(sheet.getRow(1).values.slice(1), ['key', 'name', 'two_years_back', 'one_year_back', 'students']);
  assert.equal(sheet.actualRowCount, tableRows + 1);
  const firstName = (await page.locator('main table tbody tr').first().locator('td').first().textContent()).trim();
  assert.equal(sheet.getRow(2).getCell(2).value, firstName, 'the first row is the table\'s first row');
  assert.equal(typeof sheet.getRow(2).getCell(5).value, 'number');
  let sum = 0;
  for (let r = 2; r <= sheet.actualRowCount; r += 1) sum += sheet.getRow(r).getCell(5).value;
  assert.ok(sum >= students, 'the groups add up to the total or more (a student in two schools counts in each)');
  assert.ok(book.getWorksheet('About'), 'an About sheet says how it counts');

  // The heat map of capacity, scanned too.
  await page.goto(`${server.base}/reports/capacity?year=2027`);
  assert.equal(await page.locator('svg[role="img"]').count(), 1);
  await assertAccessible(page, 'the capacity heat map');
  await o.context.close();
});

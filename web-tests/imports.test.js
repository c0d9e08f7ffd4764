// Bulk import (issue 14 point 1): the office uploads a CSV of students from the students
// list, sees what the import will do, imports it, and finds the students in the list.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { signIn, assertAccessible, useServerAndBrowser } = require('./lib');

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

const CSV = [
  'First name,Last name,Email,School,Program,Expected graduation',
  'Imani,Okafor,imani.okafor@import.example,Harborview Community College,AS in Radiologic Technology,2028-05-15',
  'Tomas,Berg,tomas.berg@import.example,harborview community college,as in radiologic technology,',
  'Bad,Row,not-an-email,Harborview Community College,AS in Radiologic Technology,',
].join('\n');

test('the office imports students: upload, preview, import', async () => {
  const { context, page } = await signIn(browser, server.base, 'coordinator');
  await page.goto(`${server.base}/students`);
  await page.getByRole('link', { name: 'Import students' }).click();
  await page.getByRole('heading', { name: 'Import students' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Excel template' }).count(), 1);
  await assertAccessible(page, 'import upload');

  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'students.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
  await page.getByRole('button', { name: 'Check the file' }).click();
  await page.getByRole('heading', { name: 'What the import will do' }).waitFor();
  const counts = page.locator('#import-counts');
  assert.match(await counts.textContent(), /Rows in the file\s*3/);
  assert.match(await counts.textContent(), /New records\s*2/);
  // The bad row is listed with its line and column, in words.
  const problems = page.getByRole('table', { name: 'Problems by row' });
  assert.match(await problems.textContent(), /4\s*Email/);
  await assertAccessible(page, 'import preview');

  await page.getByLabel('Import the rows without problems and skip the others').check();
  await page.getByRole('button', { name: 'Import' }).click();
  await page.getByRole('status').waitFor();
  assert.match(await page.getByRole('status').textContent(), /Imported 2 rows: 2 created, 0 updated/);
  await assertAccessible(page, 'import done');

  await page.goto(`${server.base}/students?q=import.example`);
  const list = page.getByRole('table', { name: 'Students' });
  assert.match(await list.textContent(), /Okafor, Imani/);
  assert.match(await list.textContent(), /Berg, Tomas/);
  await context.close();
});

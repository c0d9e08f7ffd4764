// Issue 17 part 3: the office opens a placement's confirmation letter from the placement's
// page (scanned with axe-core), downloads its PDF and reads the PDF's text back (pdfjs-dist):
// the letter's subject, the student, the site and the supervisor are there, in words.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { signIn, assertAccessible, USERS, useServerAndBrowser } = require('./lib');

const PASSWORD = 'practicum-demo';

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

/// The text of a PDF, its whitespace folded.
async function pdfText(bytes) {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  // The base-14 fonts' metrics ship with pdfjs-dist: read from the package, never fetched.
  const standardFontDataUrl = `${path.join(path.dirname(require.resolve('pdfjs-dist/package.json')), 'standard_fonts')}/`;
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), standardFontDataUrl }).promise;
  let text = '';
  for (let i = 1; i <= doc.numPages; i += 1) {
    const content = await (await doc.getPage(i)).getTextContent();
    text += ` ${content.items.map((item) => item.str).join(' ')}`;
  }
  await doc.destroy();
  return text.replace(/\s+/g, ' ').trim();
}

test('the office opens a confirmation letter, prints it and downloads its PDF', async () => {
  // A demo placement with its student named and not cancelled, through the API.
  const login = await fetch(`${server.base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: USERS.coordinator, password: PASSWORD }),
  });
  const { token } = await login.json();
  const list = await (await fetch(`${server.base}/api/v1/placements?limit=500`, {
    headers: { authorization: `Bearer ${token}` },
  })).json();
  const placement = list.items.find((p) => p.student_id && p.status !== 'cancelled');
  assert.ok(placement, 'the demo has a placement with its student');
  const json = await (await fetch(
    `${server.base}/api/v1/placements/${placement.id}/letters/placement_confirmation?format=json`,
    { headers: { authorization: `Bearer ${token}` } },
  )).json();
  assert.ok(json.subject, JSON.stringify(json));

  const { context, page } = await signIn(browser, server.base, 'coordinator');
  await page.goto(`${server.base}/placements/${placement.id}`);
  await page.getByRole('link', { name: 'Placement confirmation' }).click();
  await page.getByRole('heading', { level: 1, name: 'Placement confirmation' }).waitFor();
  const letter = page.locator('article.letter');
  await letter.getByRole('heading', { level: 2, name: json.subject }).waitFor();
  assert.match(await letter.textContent(), /Supervisor: /);
  // The Print button appears with the script; the letter prints without the navigation.
  await page.getByRole('button', { name: 'Print' }).waitFor();
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.getByRole('navigation', { name: 'Main' }).isVisible(), false);
  assert.equal(await letter.isVisible(), true);
  await page.emulateMedia({ media: 'screen' });
  await assertAccessible(page, 'a placement confirmation letter');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download PDF' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^placement-confirmation-.*\.pdf$/);
  const bytes = fs.readFileSync(await download.path());
  assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
  const text = await pdfText(bytes);
  if (process.env.SHOW_PDF_TEXT) console.log(text);
  assert.ok(text.includes(json.subject), `the subject in the PDF: ${text}`);
  for (const paragraph of json.paragraphs) {
    // Every line of every paragraph, as the page shows it, is in the PDF's text.
    for (const line of paragraph.split('\n')) {
      assert.ok(text.includes(line.replace(/\s+/g, ' ').trim()), `${line} in the PDF: ${text}`);
    }
  }
  // The office's text of the letter, beside its named fields and a preview.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Letters' }).click();
  await page.getByRole('link', { name: 'Placement confirmation' }).click();
  await page.getByRole('heading', { level: 2, name: 'Named fields' }).waitFor();
  assert.match(await page.getByLabel('Subject').inputValue(), /\{student_name\}/);
  await assertAccessible(page, "the office's text of the confirmation");
  await context.close();
});

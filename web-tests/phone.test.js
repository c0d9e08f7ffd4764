// Every page fits a phone (issue 14 point 6): each role's pages — the navigation and the
// records one step from it — at 360 × 740 CSS pixels scroll no wider than the screen
// (tables scroll inside their own box). Lists every page that overflows, with its width.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { signIn, USERS, useServerAndBrowser } = require('./lib');

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

// Paths never visited: they sign out, download, or change something on GET-less pages.
const SKIP = /^\/(logout|static\/)|format=csv|\/file(\?|$)|\/download|\/export|\.pdf$|\/letter/;

/// Same-site page links on the current page (one per distinct path shape, so a list of 50
/// students yields a few of them, not 50).
async function linksOn(page) {
  const hrefs = await page.locator('a[href^="/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  return hrefs.filter((h) => h && !SKIP.test(h) && !h.startsWith('/#'));
}

function shape(path) {
  return path.split('?')[0].replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id');
}

async function overflowing(role) {
  const { context, page } = await signIn(browser, server.base, role);
  await page.setViewportSize({ width: 360, height: 740 });
  const seen = new Set();
  const shapes = new Map();
  const queue = [['/', 0]];
  const wide = [];
  let visited = 0;
  while (queue.length && visited < 60) {
    const [path, depth] = queue.shift();
    if (seen.has(path)) continue;
    seen.add(path);
    const key = shape(path);
    const n = shapes.get(key) || 0;
    if (n >= 2) continue;
    shapes.set(key, n + 1);
    const res = await page.goto(`${server.base}${path}`);
    if (!res || !(res.headers()['content-type'] || '').includes('text/html')) continue;
    visited += 1;
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width > 360) wide.push(`${role} ${path} (${width} px)`);
    if (depth < 2) for (const h of await linksOn(page)) queue.push([h, depth + 1]);
  }
  await context.close();
  return { wide, visited };
}

test('every page of every role fits 360 px', async () => {
  const wide = [];
  let visited = 0;
  for (const role of Object.keys(USERS)) {
    const r = await overflowing(role);
    wide.push(...r.wide);
    visited += r.visited;
  }
  console.log(`360 px check: ${visited} pages visited, ${wide.length} overflow${wide.length ? `:\n${wide.join('\n')}` : ''}`);
  assert.ok(visited > 60, `the crawl reached ${visited} pages`);
  assert.deepEqual(wide, [], `${wide.length} pages wider than 360 px`);
});

// Every page a role can reach, not only its navigation: for each demo role, a crawl from the
// home page follows the links of every page it opens and scans each kind of page with
// axe-core (a record's page once, not once per record; downloads are left to the HTTP crawl in
// crates/app/tests/api/crawl.rs). It fails listing every page that did not open or has a
// serious or critical violation.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { signIn, assertAccessible, USERS, useServerAndBrowser } = require('./lib');

/// A page's kind: its path with each segment holding a digit (an id, a date) as `{}`; the
/// query is left out, since a filter or a sort draws the same page.
function kind(href) {
  const path = href.split(/[?#]/)[0];
  return path.split('/').map((s) => (/\d/.test(s) ? '{}' : s)).join('/');
}

/// Addresses that are not pages to scan: sign-out and single sign-on leave the session, and
/// these answer files (CSV, XLSX, PDF, iCalendar, JSON, an upload's bytes).
const NOT_A_PAGE = [
  /^\/logout$/, /^\/sso\//, /^\/login\/sso/, /^\/static\//, /^\/api\//, /^\/calendar\//,
  /[?&]format=/, /\/(pdf|certificate|file|preview|export|template)$/, /\.json$/,
  /^\/agreements\/[^/]+\/document$/,
];

/// Kinds of page a role's crawl opens at most.
const MOST_PAGES = 150;

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

for (const role of Object.keys(USERS)) {
  test(`${role}: every kind of page reached from home opens and passes axe-core`, async () => {
    const { context, page } = await signIn(browser, server.base, role);
    const queue = ['/'];
    const kinds = new Set();
    const failures = [];
    while (queue.length && kinds.size < MOST_PAGES) {
      const href = queue.shift();
      const k = kind(href);
      if (kinds.has(k) || NOT_A_PAGE.some((re) => re.test(href))) continue;
      kinds.add(k);
      const res = await page.goto(server.base + href);
      if (!res || res.status() !== 200) {
        failures.push(`${href}: answered ${res ? res.status() : 'nothing'}`);
        continue;
      }
      if (!(res.headers()['content-type'] || '').startsWith('text/html')) continue;
      try {
        await assertAccessible(page, href);
      } catch (e) {
        failures.push(e.message);
      }
      const links = await page.locator('a[href^="/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      for (const l of links) if (!kinds.has(kind(l))) queue.push(l);
    }
    await context.close();
    assert.deepEqual(failures, [], `${role}: ${failures.length} page(s) failed:\n${failures.join('\n')}`);
    // The crawl went past the navigation, so its silence means something.
    assert.ok(kinds.size >= 8, `${role} reached only ${kinds.size} kinds of page: ${[...kinds].join(' ')}`);
  });
}

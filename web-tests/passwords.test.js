// Invitations and passwords (issue 14 point 2), as people meet them: the coordinator invites a
// student from the student's page; the student opens the e-mailed link, sets a password and is
// signed in; later they forget it, ask for a link from the sign-in page and set a new one.
// Each page is scanned with axe-core.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { signIn, assertAccessible, poll, useServerAndBrowser } = require('./lib');

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

/// The path of the newest link starting with `prefix` in mail to `email` (the outbox of the
/// test server's data directory; the mail worker writes it shortly after the action).
async function linkIn(email, prefix, not = []) {
  const outbox = path.join(server.dataDir, 'outbox');
  return poll(() => {
    const found = [];
    for (const f of fs.existsSync(outbox) ? fs.readdirSync(outbox) : []) {
      const text = fs.readFileSync(path.join(outbox, f), 'utf8').replace(/=\r?\n/g, '').replace(/=3D/g, '=');
      if (!text.includes(email)) continue;
      const m = text.match(new RegExp(`https?://[^\\s]*?(${prefix}[A-Za-z0-9_-]+)`));
      if (m && !not.includes(m[1])) found.push(m[1]);
    }
    return found[0];
  }, 30000, `a link ${prefix} to ${email}`);
}

test('a student is invited, signs up, forgets the password and resets it', async () => {
  const { context, page } = await signIn(browser, server.base, 'coordinator');
  await page.goto(`${server.base}/students`);
  // A demo student who has no sign-in yet.
  const rows = page.getByRole('main').getByRole('table').getByRole('link');
  const hrefs = await rows.evaluateAll((as) => as.map((a) => a.getAttribute('href')).filter((h) => /^\/students\/[^/]+$/.test(h)));
  let email = null;
  for (const href of hrefs) {
    await page.goto(`${server.base}${href}`);
    const invite = page.getByRole('button', { name: /^Invite to sign in/ });
    if (await invite.count()) {
      email = (await page.locator('dt:text-is("Email") + dd').textContent()).trim();
      await assertAccessible(page, 'a student not invited yet');
      await invite.click();
      break;
    }
  }
  assert.ok(email, 'a demo student without a sign-in');
  await page.getByRole('status').waitFor();
  assert.match(await page.getByRole('status').textContent(), /invitation is sent/);
  assert.match(await page.getByRole('main').textContent(), /invited; the link works until/);
  await page.goto(`${server.base}/invitations`);
  await assertAccessible(page, 'inviting people');
  await context.close();

  // The student opens the link, sets a password and is signed in.
  const invitation = await linkIn(email, '/invitations/');
  const student = await browser.newContext({ bypassCSP: true });
  const p = await student.newPage();
  await p.goto(`${server.base}${invitation}`);
  await assertAccessible(p, 'set your password');
  await p.getByLabel('New password').fill('password123');
  await p.getByRole('button', { name: 'Set password and sign in' }).click();
  await p.getByRole('alert').waitFor();
  assert.match(await p.getByRole('alert').textContent(), /most often used/);
  await p.getByLabel('New password').fill('lantern orbit staple harbor');
  await p.getByRole('button', { name: 'Set password and sign in' }).click();
  await p.waitForURL(`${server.base}/`);
  await p.getByRole('button', { name: 'Sign out' }).click();
  await p.waitForURL(/\/login$/);

  // Forgotten: a link from the sign-in page, then a new password.
  await p.getByRole('link', { name: 'Forgot your password?' }).click();
  await assertAccessible(p, 'forgot your password');
  await p.getByLabel('Email').fill(email);
  await p.getByRole('button', { name: 'Send me a link' }).click();
  assert.match(await p.getByRole('main').textContent(), /we have e-mailed it a link/);
  const reset = await linkIn(email, '/password/reset/');
  await p.goto(`${server.base}${reset}`);
  await p.getByLabel('New password').fill('compass meadow ribbon quartz');
  await p.getByRole('button', { name: 'Set password and sign in' }).click();
  await p.waitForURL(`${server.base}/`);
  await student.close();

  // The new password signs in; the old one does not.
  const again = await browser.newContext({ bypassCSP: true });
  const q = await again.newPage();
  await q.goto(`${server.base}/login`);
  await q.getByLabel('Email').fill(email);
  await q.getByLabel('Password').fill('lantern orbit staple harbor');
  await q.getByRole('button', { name: 'Sign in' }).click();
  await q.getByRole('alert').waitFor();
  await q.getByLabel('Password').fill('compass meadow ribbon quartz');
  await q.getByRole('button', { name: 'Sign in' }).click();
  await q.waitForURL(`${server.base}/`);
  await again.close();
});

// Attendance and hours (issue 15 point 4): on an active placement the student logs a day on the
// page (a day in the future is refused with the problem beside its field), the preceptor ticks
// it on "Hours to approve" and approves it with a note, and the totals move.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { signIn, assertAccessible, USERS, isoInDays, useServerAndBrowser } = require('./lib');

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const PASSWORD = 'practicum-demo';

async function api(token, method, p, body) {
  const res = await fetch(server.base + p, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function token(email) {
  const res = await fetch(`${server.base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  return (await res.json()).token;
}

const TRY_NEXT = new Set([
  'department_at_capacity', 'preceptor_at_capacity', 'preceptor_license_expired',
  'preceptor_on_leave', 'preceptor_discipline_mismatch', 'department_does_not_host_discipline',
  'preceptor_not_in_department',
]);

/// An active clinical placement of the demo student from today for 30 days: requested by the
/// school, approved by the office (the demo preceptor first, if the rules allow), cleared and
/// started through the API. Answers the placement.
async function activePlacement(office, school, student) {
  const me = await api(student, 'GET', '/api/v1/me');
  const sid = me.student_id;
  const st = await api(office, 'GET', `/api/v1/students/${sid}`);
  const program = await api(office, 'GET', `/api/v1/programs/${st.program_id}`);
  const start = isoInDays(0);
  const end = isoInDays(30);
  const theirs = (await api(office, 'GET', `/api/v1/placements?student_id=${sid}&from=${start}&to=${end}&limit=500`)).items;
  for (const p of theirs.filter((x) => x.status !== 'completed' && x.status !== 'cancelled')) {
    await api(office, 'POST', `/api/v1/placements/${p.id}/transition`, { to: 'cancelled', reason: 'Moved to make room' });
  }
  const req = await api(school, 'POST', '/api/v1/placement-requests', {
    kind: 'clinical', program_id: st.program_id, starts_on: start, ends_on: end, hours_per_week: 35, student_ids: [sid],
  });
  const demoPreceptor = (await api(await token(USERS.preceptor), 'GET', '/api/v1/me')).staff_id;
  const preceptors = (await api(office, 'GET', `/api/v1/staff?is_preceptor=true&discipline=${program.discipline}&limit=500`)).items
    .sort((a, b) => (b.id === demoPreceptor) - (a.id === demoPreceptor));
  const decide = async (p) => {
    const res = await fetch(`${server.base}/api/v1/placement-requests/${req.id}/decision`, {
      method: 'POST',
      headers: { authorization: `Bearer ${office}`, 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'approve', placements: [{ student_id: sid, department_id: p.department_id, preceptor_id: p.id }] }),
    });
    const answer = JSON.parse(await res.text());
    const codes = res.ok ? [] : (answer.errors || []).map((e) => e.code);
    assert.ok(res.ok || (codes.length > 0 && codes.every((c) => TRY_NEXT.has(c))),
      `refused for another reason: ${res.status} ${JSON.stringify(answer)}`);
    return { placement: res.ok ? answer.placements[0] : undefined, codes };
  };
  let placement;
  for (const p of preceptors) {
    let tried = await decide(p);
    const full = tried.codes.filter((c) => c.endsWith('_at_capacity'));
    if (!tried.placement && full.length && full.length === tried.codes.length) {
      if (full.includes('preceptor_at_capacity')) await api(office, 'PATCH', `/api/v1/staff/${p.id}`, { max_students: p.max_students + 1 });
      if (full.includes('department_at_capacity')) {
        const dept = await api(office, 'GET', `/api/v1/departments/${p.department_id}`);
        await api(office, 'PATCH', `/api/v1/departments/${p.department_id}`, { capacity: dept.capacity + 1 });
      }
      tried = await decide(p);
    }
    placement = tried.placement;
    if (placement) break;
  }
  assert.ok(placement, 'the placement is approved');
  const items = (await api(office, 'GET', `/api/v1/students/${sid}/requirements?placement_id=${placement.id}`)).items;
  for (const item of items) {
    if (item.state === 'verified') continue;
    if (item.satisfied_by === 'student_upload') {
      const form = new FormData();
      form.append('requirement_code', item.requirement_code);
      form.append('completed_on', isoInDays(-10));
      if (item.requirement_code === 'bls') form.append('expires_on', isoInDays(900));
      form.append('file', new Blob([PDF], { type: 'application/pdf' }), 'doc.pdf');
      const res = await fetch(`${server.base}/api/v1/students/${sid}/documents`, { method: 'POST', headers: { authorization: `Bearer ${student}` }, body: form });
      const text = await res.text();
      assert.equal(res.status, 201, text);
      await api(office, 'POST', `/api/v1/documents/${JSON.parse(text).id}/review`, { outcome: 'verified' });
    } else if (item.satisfied_by === 'school_attestation') {
      await api(school, 'POST', '/api/v1/attestations', { requirement_code: item.requirement_code, student_ids: [sid], completed_on: isoInDays(-5), expires_on: isoInDays(900) });
    } else if (item.satisfied_by === 'signed_in_system') {
      await api(student, 'POST', `/api/v1/placements/${placement.id}/signatures`, { requirement_code: item.requirement_code, name: 'Student' });
    } else {
      await api(office, 'POST', `/api/v1/placements/${placement.id}/provisioning`, { requirement_code: item.requirement_code });
    }
  }
  const started = await api(office, 'POST', `/api/v1/placements/${placement.id}/transition`, { to: 'active' });
  assert.equal(started.status, 'active');
  return { placement: started, demoPreceptor };
}

/// A browser context signed in with an e-mail and the demo password.
async function signInAs(email) {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.base}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${server.base}/`);
  return { context, page };
}

test('the student logs a day, the preceptor approves it in bulk, and the totals move', async () => {
  const office = await token(USERS.coordinator);
  const school = await token(USERS.school_coordinator);
  const student = await token(USERS.student);
  const { placement, demoPreceptor } = await activePlacement(office, school, student);
  // The placement's preceptor signs in: the demo preceptor, or an account the admin makes
  // for whoever the rules put there.
  let supervisorEmail = USERS.preceptor;
  if (placement.preceptor_id !== demoPreceptor) {
    const admin = await token(USERS.admin);
    supervisorEmail = `hours-preceptor-${Date.now()}@demo.practicum.test`;
    await api(admin, 'POST', '/api/v1/users', {
      email: supervisorEmail, name: 'Hours Preceptor', role: 'preceptor', staff_id: placement.preceptor_id, password: PASSWORD,
    });
  }

  // The student: from the placement page to "Log hours".
  const s = await signIn(browser, server.base, 'student');
  await s.page.goto(`${server.base}/placements/${placement.id}`);
  await s.page.getByRole('link', { name: 'Log hours' }).click();
  await s.page.waitForURL(/\/hours$/);
  await assertAccessible(s.page, 'the student\'s hours');
  // Tomorrow is refused, with the problem at the top and beside the field, and what was typed kept.
  await s.page.getByLabel('Day', { exact: true }).fill(isoInDays(1));
  await s.page.locator('#f-hours').fill('8');
  await s.page.locator('#f-activity').fill('Patient positioning');
  await s.page.getByRole('button', { name: 'Log hours' }).click();
  await s.page.locator('.error-summary').waitFor();
  assert.match(await s.page.locator('.error-summary').textContent(), /in the future/);
  assert.equal(await s.page.locator('#f-activity').inputValue(), 'Patient positioning');
  await assertAccessible(s.page, 'the hours form with a problem');
  // Today, with a clock.
  await s.page.getByLabel('Day', { exact: true }).fill(isoInDays(0));
  await s.page.locator('#f-hours').fill('');
  await s.page.locator('#f-clock_in').fill('07:00');
  await s.page.locator('#f-clock_out').fill('15:30');
  await s.page.getByRole('button', { name: 'Log hours' }).click();
  await s.page.waitForURL(/hours\?done=saved/);
  const row = s.page.locator('table tbody tr').first();
  assert.match(await row.textContent(), /8\.5/);
  assert.match(await row.textContent(), /waiting for approval/);
  assert.match(await s.page.locator('#totals-text').textContent(), /Waiting for approval: 8\.5 hours/);

  // The preceptor: "Hours to approve", tick, note, approve.
  const p = await signInAs(supervisorEmail);
  await p.page.getByRole('link', { name: 'Hours to approve' }).click();
  await p.page.waitForURL(/\/hours$/);
  await assertAccessible(p.page, 'hours to approve');
  const pick = p.page.getByRole('checkbox', { name: /Select .*/ });
  assert.equal(await pick.count(), 1);
  await pick.check();
  await p.page.getByLabel(/Note to the student/).fill('Well done');
  await p.page.getByRole('button', { name: 'Approve selected' }).click();
  await p.page.waitForURL(/hours\?done=saved/);
  assert.match(await p.page.locator('main').textContent(), /Nothing waits for approval/);

  // The totals moved, on the student's page, with the progress bar.
  await s.page.reload();
  const totals = await s.page.locator('#totals-text').textContent();
  assert.match(totals, /8\.5 of [\d.]+ required hours approved/);
  assert.match(await s.page.locator('table tbody tr').first().textContent(), /approved/);
  assert.match(await s.page.locator('table tbody tr').first().textContent(), /Well done/);
  const value = Number(await s.page.locator('progress').getAttribute('value'));
  assert.ok(value >= 5 && value <= 100, `progress ${value}`);
  // Approved is locked: no delete button on it.
  assert.equal(await s.page.getByRole('button', { name: /^Delete/ }).count(), 0);
  await assertAccessible(s.page, 'the student\'s hours after approval');
  await s.context.close();
  await p.context.close();
});

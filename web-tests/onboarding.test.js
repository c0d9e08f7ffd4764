// Onboarding end to end: the student uploads a document, the office verifies it, the last
// provisioning step is ticked, the placement reads cleared and the office starts it.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { signIn, assertAccessible, USERS, isoInDays, useServerAndBrowser } = require('./lib');

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

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

async function token(role) {
  const res = await fetch(`${server.base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: USERS[role], password: 'practicum-demo' }),
  });
  return (await res.json()).token;
}

/// The first 30-day window at least `from` days ahead that ends before the student's expected
/// graduation and whose flu-season days (October to March) are all covered by a flu shot given
/// 10 days ago (valid to the 31 March after it: DOMAIN.md, `Validity::FluSeason`), so it clears
/// on whatever date the suite runs.
function placementWindow(from, graduation) {
  const month = (iso) => Number(iso.slice(5, 7));
  const inSeason = (iso) => month(iso) <= 3 || month(iso) >= 10;
  const dose = isoInDays(-10);
  const doseValidTo = `${Number(dose.slice(0, 4)) + (month(dose) >= 4 ? 1 : 0)}-03-31`;
  for (let d = from; d < from + 730; d += 1) {
    const start = isoInDays(d);
    const end = isoInDays(d + 30);
    const march31 = `${end.slice(0, 4)}-03-31`;
    const lastFluDay = inSeason(end) ? end : (march31 >= start ? march31 : null);
    if ((lastFluDay === null || lastFluDay <= doseValidTo) && (!graduation || end < graduation)) {
      return { start, end };
    }
  }
  throw new Error(`no window the flu shot covers before graduation (${graduation})`);
}

/// The codes a decision may be refused with when the chosen department or preceptor is full or
/// not licensed for the period: the loop then tries the next one. Anything else is a failure.
const TRY_NEXT = new Set([
  'department_at_capacity', 'preceptor_at_capacity', 'preceptor_license_expired',
  'preceptor_on_leave', 'preceptor_discipline_mismatch', 'department_does_not_host_discipline',
]);

test('a student uploads, the office verifies, the placement clears and starts', async () => {
  const office = await token('coordinator');
  const school = await token('school_coordinator');
  const student = await token('student');
  const me = await api(student, 'GET', '/api/v1/me');
  const sid = me.student_id;
  const st = await api(office, 'GET', `/api/v1/students/${sid}`);
  const program = await api(office, 'GET', `/api/v1/programs/${st.program_id}`);
  // From today (`active` means started, so the office can start it at the end), covered by this
  // season's flu shot, and before the student graduates.
  const window = placementWindow(0, st.expected_graduation);
  assert.equal(window.start, isoInDays(0), 'a window from today');
  // A student is in one place at a time: the office cancels the demo's own placements of this
  // student on those days, as an office would to make room.
  const theirs = (await api(office, 'GET', `/api/v1/placements?student_id=${sid}&from=${window.start}&to=${window.end}&limit=500`)).items;
  for (const p of theirs.filter((x) => x.status !== 'completed' && x.status !== 'cancelled')) {
    await api(office, 'POST', `/api/v1/placements/${p.id}/transition`, { to: 'cancelled', reason: 'Moved to make room' });
  }
  const req = await api(school, 'POST', '/api/v1/placement-requests', {
    kind: 'clinical', program_id: st.program_id, starts_on: window.start, ends_on: window.end,
    hours_per_week: 32, student_ids: [sid],
  });
  const options = await api(school, 'GET', `/api/v1/placement-options?discipline=${program.discipline}`);
  const preceptors = (await api(office, 'GET', `/api/v1/staff?is_preceptor=true&discipline=${program.discipline}&limit=500`)).items;
  // The first department and preceptor the rules allow; when the only objection is that one of
  // them is full (the demo's own placements fill the near term), the office makes room, as an
  // office would, and asks again.
  const decide = async (d, p) => {
    const res = await fetch(`${server.base}/api/v1/placement-requests/${req.id}/decision`, {
      method: 'POST',
      headers: { authorization: `Bearer ${office}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        decision: 'approve', placements: [{ student_id: sid, department_id: d.id, preceptor_id: p.id }],
      }),
    });
    const answer = JSON.parse(await res.text());
    const codes = res.ok ? [] : (answer.errors || []).map((e) => e.code);
    assert.ok(res.ok || (codes.length > 0 && codes.every((c) => TRY_NEXT.has(c))),
      `refused for a reason other than a full or unfit choice: ${res.status} ${JSON.stringify(answer)}`);
    return { placement: res.ok ? answer.placements[0] : undefined, codes };
  };
  let placement;
  search: for (const site of options) {
    for (const d of site.departments) {
      for (const p of preceptors.filter((x) => x.department_id === d.id)) {
        let tried = await decide(d, p);
        const full = tried.codes.filter((c) => c.endsWith('_at_capacity'));
        if (!tried.placement && full.length === tried.codes.length) {
          if (full.includes('preceptor_at_capacity')) {
            await api(office, 'PATCH', `/api/v1/staff/${p.id}`, { max_students: p.max_students + 1 });
          }
          if (full.includes('department_at_capacity')) {
            const dept = await api(office, 'GET', `/api/v1/departments/${d.id}`);
            await api(office, 'PATCH', `/api/v1/departments/${d.id}`, { capacity: dept.capacity + 1 });
          }
          tried = await decide(d, p);
        }
        placement = tried.placement;
        if (placement) break search;
      }
    }
  }
  assert.ok(placement, 'the placement is approved');

  // Everything but one upload and one provisioning step, through the API.
  const items = (await api(office, 'GET', `/api/v1/students/${sid}/requirements?placement_id=${placement.id}`)).items;
  for (const item of items) {
    if (item.state === 'verified' || item.requirement_code === 'tdap' || item.requirement_code === 'badge') continue;
    if (item.satisfied_by === 'student_upload') {
      const form = new FormData();
      form.append('requirement_code', item.requirement_code);
      form.append('completed_on', isoInDays(-10));
      if (item.requirement_code === 'bls') form.append('expires_on', isoInDays(900));
      form.append('file', new Blob([PDF], { type: 'application/pdf' }), 'doc.pdf');
      const res = await fetch(`${server.base}/api/v1/students/${sid}/documents`, { method: 'POST', headers: { authorization: `Bearer ${student}` }, body: form });
      const text = await res.text();
      assert.equal(res.status, 201, text);
      const doc = JSON.parse(text);
      await api(office, 'POST', `/api/v1/documents/${doc.id}/review`, { outcome: 'verified' });
    } else if (item.satisfied_by === 'school_attestation') {
      await api(school, 'POST', '/api/v1/attestations', { requirement_code: item.requirement_code, student_ids: [sid], completed_on: isoInDays(-5), expires_on: isoInDays(900) });
    } else if (item.satisfied_by === 'signed_in_system') {
      await api(student, 'POST', `/api/v1/placements/${placement.id}/signatures`, { requirement_code: item.requirement_code, name: 'Student' });
    } else {
      await api(office, 'POST', `/api/v1/placements/${placement.id}/provisioning`, { requirement_code: item.requirement_code });
    }
  }

  // The student uploads Tdap on the page.
  const s = await signIn(browser, server.base, 'student');
  await s.page.getByRole('link', { name: 'My documents' }).click();
  await assertAccessible(s.page, 'my documents');
  await s.page.getByLabel('Requirement').selectOption('tdap');
  await s.page.getByLabel('Completed on').fill(isoInDays(-20));
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'upload-')), 'tdap.pdf');
  fs.writeFileSync(file, PDF);
  await s.page.getByLabel('File').setInputFiles(file);
  await s.page.getByRole('button', { name: 'Send' }).click();
  await s.page.waitForURL(/done=uploaded/);
  assert.match(await s.page.locator('main').textContent(), /Waiting for review/);

  // The office verifies it from the queue, ticks the badge, and starts the placement.
  const o = await signIn(browser, server.base, 'coordinator');
  await o.page.goto(`${server.base}/documents`);
  await assertAccessible(o.page, 'review queue');
  await o.page.locator('table tbody tr', { hasText: 'Tdap' }).first().getByRole('link').click();
  await assertAccessible(o.page, 'review page');
  // The PDF preview is allowed by the page's own policy: no CSP complaint in the console
  // (a context that keeps the policy; the others bypass it to inject axe).
  const strict = await signIn(browser, server.base, 'coordinator', { bypassCSP: false });
  const complaints = [];
  strict.page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) complaints.push(m.text()); });
  const reviewUrl = o.page.url();
  const review = await strict.page.goto(reviewUrl);
  assert.match(review.headers()['content-security-policy'], /object-src 'self'/);
  const preview = await strict.page.locator('.preview object').getAttribute('data');
  const previewed = await strict.page.request.get(`${server.base}${preview}`);
  assert.equal(previewed.status(), 200);
  await strict.page.waitForTimeout(500);
  assert.deepEqual(complaints, [], 'no CSP error on the review page');
  // Every other page keeps objects out.
  const queue = await strict.page.goto(`${server.base}/documents`);
  assert.match(queue.headers()['content-security-policy'], /object-src 'none'/);
  await strict.context.close();
  await o.page.getByRole('button', { name: 'Verify' }).click();
  await o.page.waitForURL(/\/documents\?done=saved/);
  await o.page.goto(`${server.base}/placements/${placement.id}/onboarding`);
  await assertAccessible(o.page, 'placement onboarding');
  await o.page.getByRole('button', { name: 'Done: Badge' }).click();
  await o.page.waitForURL(/onboarding\?done=saved/);
  assert.match(await o.page.locator('.facts').textContent(), /cleared/);
  await o.page.goto(`${server.base}/placements/${placement.id}`);
  await o.page.getByRole('button', { name: 'Start the placement' }).click();
  await o.page.waitForURL(/done=saved/);
  assert.match(await o.page.locator('.facts').textContent(), /active/);
  await s.context.close();
  await o.context.close();
});

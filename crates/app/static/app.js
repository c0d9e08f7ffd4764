// Enhancement only: every form works without this file.
// Focus the error summary so screen-reader and keyboard users land on it.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
  // Ask before irreversible actions; the server still requires a reason where one is needed.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (e) => {
      if (!window.confirm(form.dataset.confirm)) e.preventDefault();
    });
  });
  // The calendar feed's link: copy it with one button.
  document.querySelectorAll("[data-copy]").forEach((button) => {
    button.addEventListener("click", async () => {
      const input = document.getElementById(button.dataset.copy);
      if (!input) return;
      input.select();
      try {
        await navigator.clipboard.writeText(input.value);
        button.textContent = "Copied";
      } catch (_) {
        button.textContent = "Select the link and copy it";
      }
    });
  });
  // A running term plan: show its progress, and reload the page once it has an answer.
  const poll = document.querySelector("[data-poll]");
  if (poll) {
    const bar = poll.querySelector("progress");
    const text = poll.querySelector("[data-progress-text]");
    const tick = async () => {
      try {
        const res = await fetch(poll.dataset.poll, { headers: { accept: "application/json" } });
        if (res.ok) {
          const run = await res.json();
          if (run.status !== "running") {
            window.location.reload();
            return;
          }
          const p = run.progress;
          if (p && p.total !== undefined) {
            // An import: steps done of its rows (each checked, then written).
            if (bar) { bar.value = p.percent; bar.textContent = p.percent + "%"; }
            if (text) {
              text.textContent = p.percent + "% done (" + p.rows + " rows: each is checked, then written).";
            }
          } else if (run.progress_text !== undefined) {
            // A term plan: the server's own words and chart (domain::planning), set as they are.
            if (bar) { bar.value = run.time_percent; bar.textContent = run.time_percent + "%"; }
            if (text) { text.textContent = run.progress_text; }
            const chart = poll.querySelector("[data-progress-chart]");
            if (chart && run.chart) {
              const set = (sel, value) => { const el = chart.querySelector(sel); if (el) { el.textContent = value; } };
              chart.querySelector("[data-line=objective]").setAttribute("points", run.chart.objective_points);
              chart.querySelector("[data-line=bound]").setAttribute("points", run.chart.bound_points);
              set("[data-chart-desc]", run.chart.description);
              set("[data-x-max]", Math.round(run.chart.x_max) + " s");
              set("[data-y-max]", String(Math.round(run.chart.y_max)));
            }
          }
        }
      } catch (e) {
        // The server may be restarting; try again on the next tick.
      }
      window.setTimeout(tick, 1000);
    };
    window.setTimeout(tick, 1000);
  }
  // The request form: the internship's fields (course, faculty supervisor) only for an
  // internship. Without this file they all show, each labelled "(internships)".
  const kind = document.querySelector("form select[name=kind]");
  if (kind) {
    const only = ["course_code", "course_title", "course_credits", "faculty_name", "faculty_email"]
      .map((n) => kind.form.querySelector(`[name=${n}]`))
      .filter(Boolean)
      .map((input) => input.closest(".field"));
    const show = () => only.forEach((f) => { f.hidden = kind.value !== "internship"; });
    kind.addEventListener("change", show);
    show();
  }
});

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
  // A letter's Print button (hidden without this file: the browser's own Print works too).
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
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
    const limit = Number(bar && bar.dataset.timeLimit) || 1;
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
          } else if (p) {
            const pct = Math.min(100, Math.round((100 * p.elapsed_seconds) / limit));
            if (bar) { bar.value = pct; bar.textContent = pct + "%"; }
            if (text) {
              // The same words as the server's (domain::planning::proven_quality): the share is
              // rounded down to a tenth so the claim stays true.
              const quality = p.bound > 0 && isFinite(p.bound)
                ? "at least " + (Math.floor(1000 * Math.min(1, p.objective / p.bound)) / 10).toFixed(1) +
                  "% of the best possible plan (proven)"
                : "not yet measured against the best possible";
              text.textContent = "Best plan so far scores " + p.objective.toFixed(1) +
                "; nothing can score more than " + p.bound.toFixed(1) + ", so it is " + quality +
                " (" + p.elapsed_seconds.toFixed(1) + " s used).";
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

// The council's pages: ask before an act that cannot be undone, and count the members switched
// on as present against the quorum. Without JavaScript the forms post as they are.
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }

  const quorum = document.querySelector("[data-quorum]");
  const attendance = document.querySelector("[data-attendance]");
  if (!quorum || !attendance) return;
  const needed = Number(quorum.dataset.quorumNeeded);
  const live = quorum.querySelector("[data-quorum-live]");
  const count = quorum.querySelector("[data-quorum-present]");
  const badge = quorum.querySelector("[data-quorum-badge]");
  const labels = { met: badge.dataset.met, short: badge.dataset.short };
  const update = () => {
    const present = attendance.querySelectorAll("input[type=checkbox]:checked").length;
    count.textContent = String(present);
    const met = present >= needed && needed > 0;
    badge.textContent = met ? labels.met : labels.short;
    badge.classList.toggle("text-bg-success", met);
    badge.classList.toggle("text-bg-warning", !met);
    badge.classList.remove("text-bg-secondary");
  };
  live.hidden = false;
  attendance.addEventListener("change", update);
  update();
});

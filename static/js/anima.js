// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("keydown", (event) => {
  // Escape closes an open disclosure menu and returns focus to its summary.
  if (event.key !== "Escape") return;
  document.querySelectorAll("details.menu[open]").forEach((menu) => {
    menu.removeAttribute("open");
    menu.querySelector("summary").focus();
  });
});

// A form sent back with errors: move focus to its summary (autofocus may be ignored when the
// page is restored from history).
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (summary && document.activeElement !== summary) summary.focus();
});

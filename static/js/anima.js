// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("keydown", (event) => {
  // Escape closes an open disclosure menu and returns focus to its summary.
  if (event.key !== "Escape") return;
  document.querySelectorAll("details.menu[open]").forEach((menu) => {
    menu.removeAttribute("open");
    menu.querySelector("summary").focus();
  });
});

// "Imprimer" buttons on the statement and the agreement (no inline scripts: CSP).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});

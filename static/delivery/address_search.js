// Address suggestions under an address field (filled by HTMX as the address is typed), and
// the corrections offered by the address check: picking one fills the field and checks it. Down arrow moves from the field into
// the suggestions, up and down move between them, Escape closes them. Without JavaScript the
// field and its « Vérifier l'adresse » button work as before.
(() => {
  const input = document.querySelector("[data-address-input]");
  const box = document.getElementById("address-suggestions");
  if (!input || !box) return;
  const check = document.querySelector("[data-address-check]");
  const choices = () => Array.from(box.querySelectorAll(".address-suggestion"));

  const close = () => {
    box.replaceChildren();
    input.focus();
  };

  document.addEventListener("click", (event) => {
    const choice = event.target.closest(".address-suggestion");
    if (!choice) return;
    input.value = choice.dataset.address;
    close();
    if (check) check.click();
  });

  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && choices().length) {
      event.preventDefault();
      choices()[0].focus();
    } else if (event.key === "Escape") {
      box.replaceChildren();
    }
  });

  box.addEventListener("keydown", (event) => {
    const list = choices();
    const index = list.indexOf(document.activeElement);
    if (index < 0) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const next = index + (event.key === "ArrowDown" ? 1 : -1);
      if (next < 0) input.focus();
      else list[Math.min(next, list.length - 1)].focus();
    } else if (event.key === "Escape") {
      close();
    }
  });

  // « Too many searches » comes with HTTP 429: show it instead of ignoring it.
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    if (event.detail.target === box && event.detail.xhr.status === 429) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();

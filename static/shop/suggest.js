// Suggestions under the product search field: the ARIA combobox pattern (list of links).
// Without JavaScript the field is a plain search box; the form still works.
(() => {
  const input = document.getElementById("search-q");
  const box = document.getElementById("search-suggestions");
  const status = document.getElementById("search-suggestions-status");
  if (!input || !box) return;
  let active = -1;

  const options = () => Array.from(box.querySelectorAll('[role="option"]'));

  function select(index) {
    const items = options();
    items.forEach((item, n) => item.setAttribute("aria-selected", String(n === index)));
    active = index;
    if (index >= 0 && items[index]) {
      input.setAttribute("aria-activedescendant", items[index].id);
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function close() {
    box.innerHTML = "";
    input.setAttribute("aria-expanded", "false");
    select(-1);
  }

  box.addEventListener("htmx:afterSwap", () => {
    const count = options().length;
    input.setAttribute("aria-expanded", String(count > 0));
    select(-1);
    const message = box.querySelector(".suggestions-status");
    status.textContent = message ? message.textContent : "";
  });

  input.addEventListener("keydown", (event) => {
    const items = options();
    if (event.key === "ArrowDown" && items.length) {
      event.preventDefault();
      select((active + 1) % items.length);
    } else if (event.key === "ArrowUp" && items.length) {
      event.preventDefault();
      select(active <= 0 ? items.length - 1 : active - 1);
    } else if (event.key === "Enter" && active >= 0 && items[active]) {
      event.preventDefault();
      window.location.assign(items[active].querySelector("a").href);
    } else if (event.key === "Escape" && items.length) {
      event.preventDefault();
      close();
    }
  });

  input.addEventListener("blur", () => setTimeout(close, 200));
})();

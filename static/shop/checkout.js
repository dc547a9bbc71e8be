// Shows only the fields that the chosen fulfilment needs; without JavaScript all stay visible.
(() => {
  const form = document.querySelector("[data-checkout]");
  if (!form) return;
  const update = () => {
    const chosen = form.querySelector("input[name='fulfilment']:checked");
    const mode = chosen ? chosen.value : "";
    form.querySelectorAll("[data-modes]").forEach((block) => {
      block.hidden = !block.dataset.modes.split(" ").includes(mode);
    });
  };
  form.addEventListener("change", (event) => {
    if (event.target.name === "fulfilment") update();
  });
  update();
})();

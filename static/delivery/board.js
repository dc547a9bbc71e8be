// The dispatch board after an HTMX change: focus goes to the outcome just read out, so that
// keyboard users do not lose their place when the board is redrawn.
document.addEventListener("htmx:afterSwap", (event) => {
  if (event.detail.target && event.detail.target.id === "board") {
    const outcome = document.getElementById("board-outcome");
    if (outcome && outcome.textContent.trim()) outcome.focus();
  }
});

// The dispatch board after an HTMX change: focus goes to the outcome just read out, so that
// keyboard users do not lose their place when the board is redrawn.
// A board redrawn by live news (below) keeps the focus where it was.
document.addEventListener("htmx:afterSwap", (event) => {
  if (document.documentElement.dataset.liveSwap) return;
  if (event.detail.target && event.detail.target.id === "board") {
    const outcome = document.getElementById("board-outcome");
    if (outcome && outcome.textContent.trim()) outcome.focus();
  }
});

// Live news (live.js): a failure refreshes the failures list, and news of the day shown (a stop
// done, a failure, a round or a plan changed) the board, unless the dispatcher is working in it
// (focus inside, deliveries ticked): then once they leave it. Polling refreshes the list only.
(function () {
  "use strict";

  const source = document.querySelector("[data-live-stream]");
  if (!source || !window.htmx) return;
  const day = source.dataset.liveDay;
  const news = document.getElementById("live-news");
  let boardStale = false;

  function busy(element) {
    if (!element) return false;
    return (
      element.contains(document.activeElement) ||
      element.querySelector("input[type=checkbox]:checked") !== null
    );
  }

  function refreshFailures() {
    const failures = document.getElementById("failures");
    if (failures && !busy(failures)) htmx.trigger(failures, "anima:refresh");
  }

  function refreshBoard() {
    const board = document.getElementById("board");
    if (!board || !boardStale || busy(board)) return;
    boardStale = false;
    document.documentElement.dataset.liveSwap = "1";
    htmx
      .ajax("GET", `${source.dataset.liveBoard}?date=${day}`, { target: "#board", swap: "outerHTML" })
      .finally(() => {
        delete document.documentElement.dataset.liveSwap;
      });
  }

  document.addEventListener("anima:live", (event) => {
    const item = event.detail;
    if (item.kind === "poll" || item.kind === "failure") refreshFailures();
    if (item.kind === "failure" && news) news.textContent = "Nouvel échec signalé par un coursier.";
    if (item.kind !== "poll" && (!item.day || item.day === day)) {
      boardStale = true;
      refreshBoard();
    }
  });
  document.addEventListener("focusout", () => setTimeout(refreshBoard, 0));
  document.addEventListener("change", () => setTimeout(refreshBoard, 0));
})();

// Live news for a page (server-sent events), with polling as the fallback.
//
// A page holds <div data-live-stream="URL" data-live-poll="SECONDS" hidden></div>. This listens
// to the stream and hands each piece of news to the page as an "anima:live" event on document
// (detail: the news, e.g. {kind: "failure", day: "2026-11-27", delivery: 12}). While the stream
// is down (blocked, broken, no EventSource, or switched off: empty URL) the page gets
// {kind: "poll"} every data-live-poll seconds instead (0: never). The browser reconnects by
// itself with Last-Event-ID, and the server replays what was missed.
// <html data-live-stream="open|down"> tells which way the page is kept up to date.
(function () {
  "use strict";

  const source = document.querySelector("[data-live-stream]");
  if (!source) return;
  const url = source.dataset.liveStream;
  const pollSeconds = Number(source.dataset.livePoll || 0);
  const REOPEN_AFTER_MS = 60000;
  let stream = null;
  let poller = null;

  function announce(news) {
    document.dispatchEvent(new CustomEvent("anima:live", { detail: news }));
  }

  function state(value) {
    document.documentElement.dataset.liveStream = value;
  }

  function startPolling() {
    if (poller || !pollSeconds) return;
    poller = setInterval(() => announce({ kind: "poll" }), pollSeconds * 1000);
  }

  function stopPolling() {
    clearInterval(poller);
    poller = null;
  }

  function connect() {
    if (!url || !window.EventSource) {
      state("down");
      startPolling();
      return;
    }
    if (stream || navigator.onLine === false) {
      if (!stream) {
        state("down");
        startPolling();
      }
      return;
    }
    const opened = new EventSource(url);
    stream = opened;
    opened.onopen = () => {
      state("open");
      stopPolling();
    };
    opened.onmessage = (event) => {
      try {
        announce(JSON.parse(event.data));
      } catch (error) {
        // Not news: ignored.
      }
    };
    opened.onerror = () => {
      state("down");
      startPolling();
      if (opened.readyState === EventSource.CLOSED) {
        // Refused (signed out, 403) or not a stream: the browser gave up; try again later.
        disconnect();
        setTimeout(connect, REOPEN_AFTER_MS);
      }
    };
  }

  function disconnect() {
    if (stream) stream.close();
    stream = null;
  }

  // Leaving the page closes the stream at once rather than when the server next writes; so
  // does losing the network (a phone between buildings): polling stands in until it is back.
  window.addEventListener("pagehide", disconnect);
  window.addEventListener("offline", () => {
    disconnect();
    state("down");
    startPolling();
  });
  window.addEventListener("online", () => {
    if (!stream) connect();
  });
  window.addEventListener("pageshow", (event) => {
    if (event.persisted && !stream) connect();
  });
  connect();
})();

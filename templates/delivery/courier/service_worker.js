// The courier app's service worker (scope: the courier pages), built on Workbox (vendored in
// static/vendor/workbox). It keeps what the round page needs so that it opens with no network:
// the page's scripts, styles, icons and map script (precached), the last round page received
// (network first, the copy kept when the network is down) and the map tiles already seen. The
// actions queued on the phone are sent by the Background Sync "sync" event. Logging out empties
// all of it (Clear-Site-Data on the logout answer).
"use strict";

const CONFIG = {{ config|safe }};

importScripts(...CONFIG.workbox, CONFIG.queue);

workbox.core.setCacheNameDetails({ prefix: "anima-courier" });
const ROUND_CACHE = "anima-courier-round";
const TILES_CACHE = "anima-courier-tiles";

self.addEventListener("install", () => self.skipWaiting());
workbox.core.clientsClaim();
workbox.precaching.cleanupOutdatedCaches();
workbox.precaching.precacheAndRoute(CONFIG.precache);

// The round page: fresh from the network when there is one (and kept), the last one kept
// otherwise. A redirect (to the login page: signed out, session over) is not a round: the
// kept round goes, so that no one else reads it on this phone.
const keepOnlyTheRound = {
  cacheWillUpdate: async ({ response }) => {
    if (response.redirected) {
      await caches.delete(ROUND_CACHE);
      return null;
    }
    return response.status === 200 ? response : null;
  },
};
workbox.routing.registerRoute(
  ({ url, request }) =>
    request.method === "GET" && url.origin === self.location.origin && url.pathname === CONFIG.page,
  new workbox.strategies.NetworkFirst({
    cacheName: ROUND_CACHE,
    matchOptions: { ignoreSearch: true, ignoreVary: true },
    plugins: [keepOnlyTheRound],
  }),
);

if (CONFIG.tiles) {
  // Map tiles already seen stay for a week (they are another site's: opaque answers).
  workbox.routing.registerRoute(
    ({ url, request }) =>
      request.destination === "image" &&
      (url.host === CONFIG.tiles || url.host.endsWith(`.${CONFIG.tiles}`)),
    new workbox.strategies.CacheFirst({
      cacheName: TILES_CACHE,
      plugins: [
        new workbox.cacheableResponse.CacheableResponsePlugin({ statuses: [0, 200] }),
        new workbox.expiration.ExpirationPlugin({ maxEntries: 400, maxAgeSeconds: 7 * 24 * 3600 }),
      ],
    }),
  );
}

async function sendQueuedActions() {
  const result = await AnimaCourierQueue.flush();
  const pages = await self.clients.matchAll({ type: "window" });
  pages.forEach((page) => page.postMessage({ type: "anima-courier:flushed", result }));
  if (result.offline) throw new Error("Still offline: the browser tries again later.");
}

self.addEventListener("sync", (event) => {
  if (event.tag === AnimaCourierQueue.SYNC_TAG) event.waitUntil(sendQueuedActions());
});

// Web push (« Nouvelle tournée publiée », « Tournée modifiée »): the server sends a JSON
// payload {title, body, url}, encrypted for this browser.
self.addEventListener("push", (event) => {
  let news = {};
  try {
    news = event.data ? event.data.json() : {};
  } catch (error) {
    news = {};
  }
  const title = news.title || "Anima";
  event.waitUntil(
    self.registration.showNotification(title, {
      body: news.body || "",
      icon: CONFIG.icon,
      badge: CONFIG.icon,
      lang: "fr",
      tag: `anima-round-${news.round || ""}`,
      renotify: true,
      data: { url: news.url || CONFIG.page },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(CONFIG.page, self.location.origin).href;
  event.waitUntil(
    (async () => {
      const pages = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const open = pages.find((page) => page.url.split("#")[0].split("?")[0] === target);
      if (open) return open.focus();
      return self.clients.openWindow(target);
    })(),
  );
});

// The courier's action queue, shared by the page (courier.js) and the service worker (its
// Background Sync handler): actions kept in IndexedDB with their Idempotency-Key, sent in
// order, one sender at a time (Web Locks), refusals kept for the page to show beside their
// stop. No DOM here: it runs in a worker too.
(function (scope) {
  "use strict";

  const DB_NAME = "anima-courier";
  const ACTIONS = "actions";
  const REFUSALS = "refusals";
  const SYNC_TAG = "anima-courier-actions";
  const LOCK = "anima-courier-flush";

  function openDb() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 2);
      request.onupgradeneeded = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains(ACTIONS)) db.createObjectStore(ACTIONS, { keyPath: "key" });
        if (!db.objectStoreNames.contains(REFUSALS)) db.createObjectStore(REFUSALS, { keyPath: "key" });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function withStore(name, mode, work) {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const transaction = db.transaction(name, mode);
      const result = work(transaction.objectStore(name));
      transaction.oncomplete = () => {
        db.close();
        resolve(result && "result" in result ? result.result : undefined);
      };
      transaction.onerror = () => {
        db.close();
        reject(transaction.error);
      };
    });
  }

  const save = (action) => withStore(ACTIONS, "readwrite", (store) => store.put(action));
  const forget = (key) => withStore(ACTIONS, "readwrite", (store) => store.delete(key));
  async function queued() {
    const actions = (await withStore(ACTIONS, "readonly", (store) => store.getAll())) || [];
    return actions.sort((a, b) => a.order - b.order);
  }

  const keepRefusal = (refusal) => withStore(REFUSALS, "readwrite", (store) => store.put(refusal));
  async function takeRefusals() {
    // Handed to the page once: it shows them beside their stop.
    const refusals = (await withStore(REFUSALS, "readonly", (store) => store.getAll())) || [];
    if (refusals.length) await withStore(REFUSALS, "readwrite", (store) => store.clear());
    return refusals.sort((a, b) => a.order - b.order);
  }

  function send(action, csrf) {
    const body = new FormData();
    Object.entries(action.fields).forEach(([name, value]) => body.append(name, value));
    if (action.photo) body.append("photo", action.photo, "photo.jpg");
    body.append("recorded_at", action.recordedAt);
    return fetch(action.url, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: {
        "Idempotency-Key": action.key,
        "X-CSRFToken": action.csrf || csrf || "",
        Accept: "application/json",
      },
    });
  }

  async function detail(response) {
    try {
      const data = await response.json();
      if (data.detail) return data.detail;
      return Object.values(data).flat().join(" ");
    } catch (error) {
      return `erreur ${response.status}`;
    }
  }

  async function sendAll(csrf) {
    const result = { sent: 0, refused: 0, signedOut: false, offline: false };
    for (const action of await queued()) {
      let response;
      try {
        response = await send(action, csrf);
      } catch (error) {
        result.offline = true;
        break; // no network: everything waits, in order
      }
      if (response.status >= 500 || [401, 403, 429].includes(response.status)) {
        result.signedOut = response.status === 401 || response.status === 403;
        break;
      }
      if (!response.ok) {
        await keepRefusal({
          key: action.key,
          order: action.order,
          stop: action.stop,
          text: `${action.label} refusé : ${await detail(response)}`,
        });
        result.refused += 1;
      }
      await forget(action.key);
      result.sent += 1;
    }
    return result;
  }

  let running = null;
  function flush(csrf) {
    // ``csrf``: the page's token, for actions queued before they kept their own.
    // One sender at a time across the page(s) and the service worker: an action is never on
    // the way twice (the server would replay it anyway, but the refusal would show twice).
    if (scope.navigator && scope.navigator.locks) {
      return scope.navigator.locks.request(LOCK, () => sendAll(csrf));
    }
    if (!running) running = sendAll(csrf).finally(() => (running = null));
    return running;
  }

  scope.AnimaCourierQueue = { SYNC_TAG, save, queued, flush, takeRefusals };
})(self);

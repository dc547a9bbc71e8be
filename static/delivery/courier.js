// The courier's page: every action is kept on the phone (IndexedDB) with a key made here,
// then sent to the API with that key as Idempotency-Key. Without network it waits and is sent
// when the network returns; a resend after a lost answer is replayed by the server, never done
// twice. Without JavaScript the forms post to the page as usual.
(function () {
  "use strict";

  const root = document.querySelector("[data-courier]");
  if (!root || !window.indexedDB || !window.fetch) return;

  const DB_NAME = "anima-courier";
  const STORE = "actions";
  const PHOTO_MAX_SIDE = 1600;
  const RETRY_EVERY_MS = 15000;
  const status = document.getElementById("queue-status");
  const errors = document.getElementById("queue-errors");
  let flushing = false;

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function openDb() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "key" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function withStore(mode, work) {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const result = work(transaction.objectStore(STORE));
      transaction.oncomplete = () => {
        db.close();
        resolve(result && "result" in result ? result.result : undefined);
      };
      transaction.onerror = () => reject(transaction.error);
    });
  }

  const save = (action) => withStore("readwrite", (store) => store.put(action));
  const forget = (key) => withStore("readwrite", (store) => store.delete(key));
  async function queued() {
    const actions = (await withStore("readonly", (store) => store.getAll())) || [];
    return actions.sort((a, b) => a.order - b.order);
  }

  async function compress(file) {
    // Smaller photos travel on a weak signal; the server strips what is left of the metadata.
    try {
      const bitmap = await createImageBitmap(file);
      const scale = Math.min(1, PHOTO_MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      const canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.7));
    } catch (error) {
      return file;
    }
  }

  function stopElement(stopId) {
    return root.querySelector(`[data-stop="${stopId}"]:is(.stop, .visit)`);
  }

  function markPending(action) {
    const stop = stopElement(action.stop);
    if (!stop) return;
    stop.classList.add("stop-pending");
    const actions = stop.querySelector("[data-actions]");
    if (actions) {
      const note = document.createElement("p");
      note.className = "pending-note";
      note.textContent = `${action.label} — enregistré sur le téléphone, envoi en cours…`;
      actions.replaceWith(note);
    }
  }

  function report(text) {
    const item = document.createElement("li");
    item.className = "message message-error";
    item.textContent = text;
    errors.appendChild(item);
  }

  async function showQueue() {
    const count = (await queued()).length;
    status.textContent = count
      ? `${count} action${count > 1 ? "s" : ""} en attente d'envoi : elle${count > 1 ? "s" : ""} partir${count > 1 ? "ont" : "a"} dès que le réseau revient.`
      : "";
  }

  function send(action) {
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
        "X-CSRFToken": root.dataset.csrf,
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

  async function flush() {
    if (flushing) return;
    flushing = true;
    let sent = 0;
    try {
      for (const action of await queued()) {
        let response;
        try {
          response = await send(action);
        } catch (error) {
          break; // no network: everything waits, in order
        }
        if (response.status >= 500 || [401, 403, 429].includes(response.status)) {
          if (response.status === 401 || response.status === 403) {
            report("Vous n'êtes plus connecté·e : reconnectez-vous, vos actions attendent sur le téléphone.");
          }
          break;
        }
        if (!response.ok) {
          report(`Arrêt ${action.sequence} (${action.label}) refusé : ${await detail(response)}`);
        }
        await forget(action.key);
        sent += 1;
      }
    } finally {
      flushing = false;
    }
    await showQueue();
    if (sent && !(await queued()).length) await refresh();
  }

  async function refresh() {
    // Show what the server now holds (unless the courier is filling in a form).
    if (root.querySelector("details.action[open]")) return;
    try {
      const response = await fetch(root.dataset.refresh, { credentials: "same-origin" });
      if (!response.ok) return;
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.querySelector("[data-courier-rounds]");
      const current = root.querySelector("[data-courier-rounds]");
      if (fresh && current) {
        current.replaceChildren(...fresh.childNodes);
        current.dispatchEvent(new CustomEvent("anima:refreshed", { bubbles: true }));
      }
    } catch (error) {
      // Offline again: the page keeps what it shows.
    }
  }

  root.addEventListener("submit", async (event) => {
    const form = event.target.closest("form[data-api]");
    if (!form) return;
    event.preventDefault();
    const data = new FormData(form);
    const fields = {};
    let file = null;
    for (const [name, value] of data.entries()) {
      if (name === "csrfmiddlewaretoken") continue;
      if (value instanceof File) file = value.size ? value : null;
      else fields[name] = value;
    }
    const stop = stopElement(form.dataset.stop);
    const action = {
      key: newKey(),
      order: Date.now(),
      url: form.dataset.api,
      fields,
      photo: file ? await compress(file) : null,
      recordedAt: new Date().toISOString(),
      stop: form.dataset.stop,
      sequence: stop ? stop.querySelector(".stop-number").textContent.trim() : "",
      label: form.querySelector("[type=submit]").textContent.trim(),
    };
    await save(action);
    markPending(action);
    await showQueue();
    flush();
  });

  window.addEventListener("online", flush);
  setInterval(flush, RETRY_EVERY_MS);
  showQueue().then(flush);
})();

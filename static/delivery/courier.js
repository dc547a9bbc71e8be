// The courier's page: every action is kept on the phone (IndexedDB, courier_queue.js) with a
// key made here, then sent to the API with that key as Idempotency-Key. Without network it
// waits and is sent when the network returns (Background Sync through the service worker where
// the browser has it, the "online" event and a retry otherwise); a resend after a lost answer is
// replayed by the server, never done twice. A refused action is shown beside its stop, announced
// and focused. The service worker keeps the page and what it needs for the next reload with no
// network. Without JavaScript the forms post to the page as usual.
(function () {
  "use strict";

  const root = document.querySelector("[data-courier]");
  const queue = window.AnimaCourierQueue;
  if (!root || !queue || !window.indexedDB || !window.fetch) return;

  const PHOTO_MAX_SIDE = 1600;
  const RETRY_EVERY_MS = 15000;
  const status = document.getElementById("queue-status");
  const errors = document.getElementById("queue-errors");
  const offlineNote = document.getElementById("offline-note");
  // Refusals shown on this page, kept to put back after the rounds are redrawn.
  const refusals = [];

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
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
      const note = document.createElement("div");
      note.className = "pending-note";
      const text = document.createElement("p");
      text.textContent = `${action.label} — enregistré sur le téléphone, envoi en cours…`;
      note.appendChild(text);
      if (action.photo) {
        // The photo taken waits on the phone with its action, network or not.
        const photo = document.createElement("img");
        photo.className = "pending-photo";
        photo.alt = "Photo de livraison en attente d'envoi";
        photo.src = URL.createObjectURL(action.photo);
        note.appendChild(photo);
      }
      actions.replaceWith(note);
    }
  }

  function report(text) {
    // What concerns no stop in particular (signed out): at the top, announced.
    const item = document.createElement("li");
    item.className = "message message-error";
    item.textContent = text;
    errors.replaceChildren(item);
  }

  function placeRefusal(refusal) {
    // Beside the stop it concerns, where the courier is looking; the top of the page if the
    // stop is no longer in the round.
    const stop = stopElement(refusal.stop);
    const message = document.createElement("p");
    message.className = "message message-error stop-refusal";
    message.setAttribute("role", "alert");
    message.tabIndex = -1;
    message.dataset.refusal = refusal.key;
    message.textContent = refusal.text;
    if (stop) {
      stop.querySelectorAll(".stop-refusal").forEach((old) => old.remove());
      stop.querySelector("h3").after(message);
    } else {
      const item = document.createElement("li");
      item.appendChild(message);
      errors.appendChild(item);
    }
    return message;
  }

  async function showRefusals() {
    const fresh = await queue.takeRefusals();
    if (!fresh.length) return;
    fresh.forEach((refusal) => {
      forgetRefusals(refusal.stop);
      refusals.push(refusal);
    });
    const placed = fresh.map(placeRefusal);
    placed[0].focus();
  }

  function forgetRefusals(stopId) {
    for (let index = refusals.length - 1; index >= 0; index -= 1) {
      if (refusals[index].stop === stopId) refusals.splice(index, 1);
    }
  }

  async function showQueue() {
    const actions = await queue.queued();
    const count = actions.length;
    status.textContent = count
      ? `${count} action${count > 1 ? "s" : ""} en attente d'envoi : elle${count > 1 ? "s" : ""} partir${count > 1 ? "ont" : "a"} dès que le réseau revient.`
      : "";
    return actions;
  }

  async function redraw() {
    // What the phone knows on top of what the page shows: actions waiting, refusals.
    (await showQueue()).forEach(markPending);
    refusals.forEach(placeRefusal);
  }

  // One at a time: a refresh landing after a refusal was shown would take its focus away.
  let afterFlushing = Promise.resolve();
  function afterFlush(result) {
    afterFlushing = afterFlushing.then(() => showFlushed(result)).catch(() => {});
    return afterFlushing;
  }

  async function showFlushed(result) {
    if (result.signedOut) {
      report("Vous n'êtes plus connecté·e : reconnectez-vous, vos actions attendent sur le téléphone.");
    }
    const left = (await showQueue()).length;
    if (result.sent && !left) await refresh();
    await showRefusals();
  }

  async function flush() {
    await afterFlush(await queue.flush(root.dataset.csrf));
  }

  async function refresh() {
    // Show what the server now holds (unless the courier is filling in a form).
    if (root.querySelector("details.action[open]")) return;
    try {
      const response = await fetch(root.dataset.refresh, { credentials: "same-origin" });
      if (!response.ok || response.redirected) return;
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.querySelector("[data-courier-rounds]");
      const current = root.querySelector("[data-courier-rounds]");
      if (fresh && current) {
        const focused = document.activeElement && document.activeElement.dataset.refusal;
        current.replaceChildren(...fresh.childNodes);
        await redraw();
        // The refusal being read is drawn again: it keeps the focus.
        const again = focused && root.querySelector(`[data-refusal="${focused}"]`);
        if (again) again.focus();
        current.dispatchEvent(new CustomEvent("anima:refreshed", { bubbles: true }));
      }
    } catch (error) {
      // Offline again: the page keeps what it shows.
    }
  }

  async function askBackgroundSync() {
    if (!("serviceWorker" in navigator)) return;
    try {
      const registration = await navigator.serviceWorker.ready;
      if (registration.sync) await registration.sync.register(queue.SYNC_TAG);
    } catch (error) {
      // No Background Sync: the "online" event and the retry send it.
    }
  }

  function showConnection() {
    if (offlineNote) offlineNote.hidden = navigator.onLine;
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
    // A new try at this stop: its last refusal is answered.
    forgetRefusals(form.dataset.stop);
    if (stop) stop.querySelectorAll(".stop-refusal").forEach((old) => old.remove());
    const number = stop ? stop.querySelector(".stop-number").textContent.trim() : "";
    const button = form.querySelector("[type=submit]");
    const action = {
      key: newKey(),
      order: Date.now(),
      url: form.dataset.api,
      csrf: root.dataset.csrf,
      fields,
      photo: file ? await compress(file) : null,
      recordedAt: new Date().toISOString(),
      stop: form.dataset.stop,
      sequence: number,
      label: `Arrêt ${number} : ${button.textContent.trim()}`,
    };
    await queue.save(action);
    markPending(action);
    await showQueue();
    askBackgroundSync();
    flush();
  });

  // Leaving with actions still on the phone loses them (logging out empties the phone).
  let leaving = false;
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (leaving || !root.dataset.logout || form.getAttribute("action") !== root.dataset.logout) return;
    event.preventDefault();
    const count = (await queue.queued()).length;
    const message = `${count} action${count > 1 ? "s" : ""} pas encore envoyée${count > 1 ? "s" : ""} : se déconnecter maintenant l${count > 1 ? "es" : "a"} efface du téléphone. Se déconnecter quand même ?`;
    if (count && !window.confirm(message)) return;
    leaving = true;
    form.submit();
  });

  if ("serviceWorker" in navigator && root.dataset.serviceWorker) {
    navigator.serviceWorker.register(root.dataset.serviceWorker).catch(() => {});
    if (!navigator.serviceWorker.controller) {
      // First visit (or after logging out): this page came before the worker, which has no
      // copy of the round yet. Ask for the page once through it, to keep one.
      navigator.serviceWorker.addEventListener(
        "controllerchange",
        () => fetch(root.dataset.refresh, { credentials: "same-origin" }).catch(() => {}),
        { once: true },
      );
    }
    navigator.serviceWorker.addEventListener("message", (event) => {
      // The service worker sent the queue in the background.
      if (event.data && event.data.type === "anima-courier:flushed") afterFlush(event.data.result);
    });
  }

  window.addEventListener("online", () => {
    showConnection();
    flush();
  });
  window.addEventListener("offline", showConnection);
  showConnection();
  // Live news (live.js): a round published or changed, or a poll while the stream is down.
  document.addEventListener("anima:live", (event) => {
    if (["round", "poll"].includes(event.detail.kind)) refresh();
  });
  setInterval(flush, RETRY_EVERY_MS);
  redraw().then(flush);
})();

// « Recevoir les notifications »: the courier's phone subscribes to web push with the site's
// public VAPID key and gives the server its subscription; the service worker (coursier/sw.js)
// shows « Nouvelle tournée publiée » / « Tournée modifiée ». The switch shows only when the
// site has push configured (data-push-key) and the browser has PushManager.
(function () {
  "use strict";

  const toggle = document.querySelector("[data-push-toggle]");
  if (!toggle || !toggle.dataset.pushKey) return;
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !window.Notification) {
    return;
  }
  const note = document.getElementById("push-status");
  const csrf = document.querySelector("[data-courier]")?.dataset.csrf || "";

  function keyBytes(base64url) {
    const padded = (base64url + "===".slice((base64url.length + 3) % 4))
      .replace(/-/g, "+")
      .replace(/_/g, "/");
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  }

  function show(on) {
    toggle.setAttribute("aria-pressed", on ? "true" : "false");
    toggle.textContent = on ? toggle.dataset.labelOn : toggle.dataset.labelOff;
  }

  function say(text) {
    if (note) note.textContent = text;
  }

  async function post(url, subscription) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(subscription.toJSON()),
    });
    if (!response.ok) {
      let detail = toggle.dataset.failed;
      try {
        detail = (await response.json()).detail || detail;
      } catch (error) {
        // Not JSON: the generic message stays.
      }
      throw new Error(detail);
    }
  }

  async function current() {
    const registration = await navigator.serviceWorker.ready;
    return { registration, subscription: await registration.pushManager.getSubscription() };
  }

  async function switchOn() {
    const permission = await Notification.requestPermission();
    if (permission !== "granted") {
      say(toggle.dataset.denied);
      return;
    }
    const { registration } = await current();
    const subscription = await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: keyBytes(toggle.dataset.pushKey),
    });
    await post(toggle.dataset.subscribe, subscription);
    show(true);
    say(toggle.dataset.doneOn);
  }

  async function switchOff() {
    const { subscription } = await current();
    if (subscription) {
      await post(toggle.dataset.unsubscribe, subscription);
      await subscription.unsubscribe();
    }
    show(false);
    say(toggle.dataset.doneOff);
  }

  toggle.addEventListener("click", async () => {
    toggle.disabled = true;
    try {
      if (toggle.getAttribute("aria-pressed") === "true") await switchOff();
      else await switchOn();
    } catch (error) {
      say(error.message || toggle.dataset.failed);
    } finally {
      toggle.disabled = false;
    }
  });

  current()
    .then(({ subscription }) => {
      show(Boolean(subscription) && Notification.permission === "granted");
      toggle.hidden = false;
    })
    .catch(() => {});
})();

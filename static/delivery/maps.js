// Maps of rounds (board, courier page, route sheet) drawn with the vendored Leaflet from the
// data the page carries in a json_script block: no request of its own. A map is a picture of
// the ordered list beside it, hidden from assistive technology: nothing in it takes the focus
// (no keyboard handler, no zoom buttons, no links, markers not interactive); the tile credit
// is written under the map by the page. Without tiles, markers and paths draw on a plain
// background.
(function () {
  "use strict";

  const drawn = [];

  function colour(element, index) {
    const value = getComputedStyle(element).getPropertyValue(`--route-${index}`).trim();
    return value || "#0072b2";
  }

  function label(layer, text, className) {
    layer.bindTooltip(text, {
      permanent: true,
      direction: "top",
      offset: [0, -8],
      className: `map-label ${className || ""}`,
    });
  }

  function drawRoute(map, element, route, bounds) {
    const stroke = colour(element, route.colour);
    L.polyline(route.path, {
      color: stroke,
      weight: 4,
      opacity: 0.75,
      interactive: false,
      className: "map-path",
    }).addTo(map);
    route.stops.forEach((stop) => {
      const classes = ["map-stop"];
      if (stop.next) classes.push("map-stop-next");
      if (stop.done) classes.push("map-stop-done");
      const marker = L.circleMarker(stop.at, {
        radius: stop.next ? 13 : 9,
        color: stop.next ? "#000" : stroke,
        weight: stop.next ? 4 : 2,
        fillColor: stop.pickup ? "#fff" : stroke,
        fillOpacity: stop.done ? 0.35 : 0.95,
        interactive: false,
        className: classes.join(" "),
      }).addTo(map);
      label(marker, stop.label, stop.next ? "map-label-next" : "");
      bounds.push(stop.at);
    });
  }

  function draw(element) {
    if (!window.L || element.dataset.mapDrawn) return;
    const source = document.getElementById(element.dataset.map);
    if (!source) return;
    const data = JSON.parse(source.textContent);
    element.dataset.mapDrawn = "true";
    const map = L.map(element, {
      keyboard: false,
      zoomControl: false,
      attributionControl: false,
      scrollWheelZoom: false,
      boxZoom: false,
      // One finger scrolls the page on a phone; two fingers zoom the map.
      dragging: !L.Browser.mobile,
      tap: false,
    });
    drawn.push({ map, element });
    if (data.tiles) {
      L.tileLayer(data.tiles.url, {
        maxZoom: data.tiles.max_zoom,
        // OpenStreetMap's tile policy asks for a Referer; the origin is enough.
        referrerPolicy: "strict-origin-when-cross-origin",
        keepBuffer: 1,
      }).addTo(map);
    } else {
      element.classList.add("map-plain");
    }
    const bounds = [data.hub.at];
    data.routes.forEach((route) => drawRoute(map, element, route, bounds));
    data.unplanned.forEach((at) => {
      L.circleMarker(at, {
        radius: 7,
        color: "#555",
        weight: 2,
        dashArray: "3 3",
        fillOpacity: 0,
        interactive: false,
        className: "map-unplanned",
      }).addTo(map);
      bounds.push(at);
    });
    const hub = L.circleMarker(data.hub.at, {
      radius: 8,
      color: "#000",
      weight: 3,
      fillColor: "#fff",
      fillOpacity: 1,
      interactive: false,
      className: "map-hub",
    }).addTo(map);
    label(hub, data.hub.label, "map-label-hub");
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
  }

  function drawAll(root) {
    // Maps whose element left the page (the board re-rendered) are let go.
    for (let i = drawn.length - 1; i >= 0; i -= 1) {
      if (!drawn[i].element.isConnected) {
        drawn[i].map.remove();
        drawn.splice(i, 1);
      }
    }
    const scope = root && root.querySelectorAll ? root : document;
    if (scope.matches && scope.matches("[data-map]")) draw(scope);
    scope.querySelectorAll("[data-map]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", () => drawAll(document));
  // The board is re-rendered by HTMX; the courier page refreshes its rounds itself.
  document.addEventListener("htmx:load", (event) => drawAll(event.detail.elt));
  document.addEventListener("anima:refreshed", (event) => drawAll(event.target));
  if (document.readyState !== "loading") drawAll(document);
})();

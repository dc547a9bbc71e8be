"""Local stand-ins for a self-hosted routing service, answering as the OSRM HTTP API (table
service) and the Valhalla matrix API (sources_to_targets) describe, error bodies included.

Streets are simulated: the great-circle distance × 1.5, ridden at 15 km/h. ``server.mode``
makes the next answers fail the way a real service can: ``"ok"``, ``"error"`` (the service's own
error body with HTTP 400), ``"http500"`` (a proxy's HTML page), ``"malformed"`` (not JSON),
``"short"`` (JSON of the wrong shape), ``"unroutable"`` (no route to the last point: null
cells) and ``"hang"`` (no answer until the test releases ``server.release``).
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from delivery.routing import Point, great_circle_m

STREET_FACTOR = 1.5
SPEED_M_S = 15 * 1000 / 3600


def street_m(a: Point, b: Point) -> float:
    return great_circle_m(a, b) * STREET_FACTOR


class _Handler(BaseHTTPRequestHandler):
    server: "RoutingStandin"

    def do_GET(self):
        url = urlsplit(self.path)
        self.server.seen.append({"method": "GET", "path": url.path, "query": parse_qs(url.query)})
        if self._failed():
            return
        parts = url.path.split("/")
        if len(parts) != 5 or parts[1] != "table" or parts[2] != "v1":
            return self._json(
                400, {"code": "InvalidUrl", "message": f"URL string malformed: {url.path}"}
            )
        if parts[3] != "bike":
            return self._json(400, {"code": "InvalidService", "message": "Service not found"})
        try:
            points = [
                Point(float(lat), float(lon))
                for lon, lat in (pair.split(",") for pair in parts[4].split(";"))
            ]
        except ValueError:
            return self._json(400, {"code": "InvalidQuery", "message": "Query string malformed"})
        annotations = parse_qs(url.query).get("annotations", ["duration"])[0].split(",")
        metres, seconds = self._matrix(points)
        body = {
            "code": "Ok",
            "sources": [self._waypoint(p) for p in points],
            "destinations": [self._waypoint(p) for p in points],
        }
        if "duration" in annotations:
            body["durations"] = seconds
        if "distance" in annotations:
            body["distances"] = metres
        self._json(200, body)

    def do_POST(self):
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length", 0))
        request = json.loads(self.rfile.read(length) or b"{}")
        self.server.seen.append({"method": "POST", "path": url.path, "body": request})
        if self._failed():
            return
        if url.path != "/sources_to_targets":
            return self._valhalla_error(404, 106, "Try any of: '/route' '/sources_to_targets'")
        if request.get("costing") not in ("auto", "bicycle", "pedestrian"):
            return self._valhalla_error(400, 125, "No costing method found")
        sources = [Point(s["lat"], s["lon"]) for s in request.get("sources", [])]
        targets = [Point(t["lat"], t["lon"]) for t in request.get("targets", [])]
        if not sources or not targets:
            return self._valhalla_error(400, 121, "Insufficiently specified required parameter")
        metres, seconds = self._matrix(sources, targets)
        rows = [
            [
                {
                    "distance": None if metres[i][j] is None else round(metres[i][j] / 1000, 3),
                    "time": seconds[i][j],
                    "to_index": j,
                    "from_index": i,
                }
                for j in range(len(targets))
            ]
            for i in range(len(sources))
        ]
        self._json(
            200,
            {
                "sources_to_targets": rows,
                "sources": [[{"lat": p.lat, "lon": p.lon} for p in sources]],
                "targets": [[{"lat": p.lat, "lon": p.lon} for p in targets]],
                "units": "kilometers",
            },
        )

    def _failed(self) -> bool:
        mode = self.server.mode
        if mode == "hang":
            self.server.release.wait()
            return True
        if mode == "error" and self.command == "GET":
            self._json(
                400,
                {
                    "code": "NoSegment",
                    "message": "Could not find a matching segment for coordinate 0",
                },
            )
        elif mode == "error":
            self._valhalla_error(400, 171, "No suitable edges near location")
        elif mode == "http500":
            self._send(500, b"<html><body>502 Bad Gateway</body></html>", "text/html")
        elif mode == "malformed":
            self._send(200, b'{"code": "Ok", "durations": [[0', "application/json")
        elif mode == "short":
            self._json(
                200,
                {
                    "code": "Ok",
                    "durations": [[0]],
                    "distances": [[0]],
                    "sources_to_targets": [[{"distance": 0, "time": 0}]],
                },
            )
        else:
            return False
        return True

    def _matrix(self, sources, targets=None):
        targets = sources if targets is None else targets
        metres = [[round(street_m(a, b), 1) for b in targets] for a in sources]
        seconds = [[round(m / SPEED_M_S, 1) for m in row] for row in metres]
        if self.server.mode == "unroutable":
            for row_m, row_s in zip(metres[:-1], seconds[:-1], strict=True):
                row_m[-1] = row_s[-1] = None
        return metres, seconds

    def _waypoint(self, point: Point) -> dict:
        return {"hint": "standin", "distance": 0.0, "name": "", "location": [point.lon, point.lat]}

    def _valhalla_error(self, status: int, code: int, text: str):
        self._json(
            status,
            {
                "error_code": code,
                "error": text,
                "status_code": status,
                "status": "Bad Request" if status == 400 else "Not Found",
            },
        )

    def _json(self, status: int, body: dict):
        self._send(status, json.dumps(body).encode(), "application/json")

    def _send(self, status: int, body: bytes, content_type: str):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class RoutingStandin(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.seen: list[dict] = []
        self.mode = "ok"
        self.release = threading.Event()
        self.url = f"http://127.0.0.1:{self.server_port}"


@pytest.fixture
def routing_server():
    """A local OSRM / Valhalla stand-in; ``routing_server.url`` is its base address."""
    server = RoutingStandin()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()

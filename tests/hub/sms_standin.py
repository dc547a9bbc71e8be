"""A local stand-in for Brevo's transactional SMS API, for tests: a threaded HTTP server on
127.0.0.1 answering ``POST /v3/transactionalSMS/send`` as Brevo's API reference describes.

- Authentication: the ``api-key`` header; missing or unknown → 401
  ``{"code": "unauthorized", "message": "Key not found"}``.
- Body: JSON with ``sender`` (≤ 11 letters/digits, or ≤ 15 digits), ``recipient`` (the
  number with its country code), ``content``; optional ``type`` (transactional, marketing),
  ``tag``, ``webUrl``, ``unicodeEnabled``. A field missing → 400 ``missing_parameter``; a
  wrong one (sender, number, type) → 400 ``invalid_parameter``.
- Accepted: 201 ``{"messageId": <integer>}``.
- Tests script what comes next: an answer (``answer_next(503)``, ``answer_next(402, …)``) or
  no answer at all until the test ends (``hang_next()``: the client's timeout).
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

PATH = "/v3/transactionalSMS/send"
SENDER = re.compile(r"^([A-Za-z0-9 ]{3,11}|\d{3,15})$")
RECIPIENT = re.compile(r"^\+?\d{6,15}$")


class BrevoSmsStandin:
    def __init__(self, api_key: str = "xkeysib-standin-key") -> None:
        self.api_key = api_key
        self.received: list[dict] = []  # accepted messages, in order
        self.requests = 0  # every authenticated request, accepted or not
        self.invalid_numbers: set[str] = set()  # numbers the operator says do not exist
        self.scripted: list[tuple[int, dict] | None] = []
        self.release = threading.Event()
        self.ids = itertools.count(1511882900176220)
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{PATH}"

    def answer_next(self, status: int, body: dict | None = None) -> None:
        self.scripted.append((status, body or {"code": "internal_error", "message": "Error"}))

    def hang_next(self) -> None:
        self.scripted.append(None)

    def start(self) -> BrevoSmsStandin:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def answer(self, headers, raw: bytes) -> tuple[int, dict] | None:
        if headers.get("api-key") != self.api_key:
            return 401, {"code": "unauthorized", "message": "Key not found"}
        with self.lock:
            self.requests += 1
            if self.scripted:
                return self.scripted.pop(0)
        if "application/json" not in (headers.get("content-type") or ""):
            return 400, {"code": "bad_request", "message": "Content-Type must be JSON"}
        try:
            body = json.loads(raw)
        except ValueError:
            return 400, {"code": "bad_request", "message": "Malformed JSON"}
        for field in ("sender", "recipient", "content"):
            if not body.get(field):
                return 400, {"code": "missing_parameter", "message": f"{field} is missing"}
        if not SENDER.match(str(body["sender"])):
            return 400, {"code": "invalid_parameter", "message": "Invalid sender name"}
        recipient = str(body["recipient"])
        if not RECIPIENT.match(recipient) or recipient.lstrip("+") in self.invalid_numbers:
            return 400, {"code": "invalid_parameter", "message": "Invalid phone number"}
        if body.get("type", "transactional") not in ("transactional", "marketing"):
            return 400, {"code": "invalid_parameter", "message": "Invalid type"}
        with self.lock:
            self.received.append(body)
            return 201, {"messageId": next(self.ids)}

    def _handler(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                if self.path != PATH:
                    self._send(404, {"code": "document_not_found", "message": "Not found"})
                    return
                reply = standin.answer(self.headers, raw)
                if reply is None:
                    standin.release.wait(10)
                    return
                self._send(*reply)

            def _send(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler


@pytest.fixture
def sms_standin(settings):
    """Brevo's SMS API on a local port; the settings point the project at it."""
    standin = BrevoSmsStandin().start()
    settings.SMS_PROVIDER = "brevo"
    settings.SMS_API_URL = standin.url
    settings.SMS_API_KEY = standin.api_key
    settings.SMS_TIMEOUT = 0.5
    yield standin
    standin.stop()

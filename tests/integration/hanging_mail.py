"""A mail backend that hangs inside the "SMTP call" of one chosen message, the first time only.

It writes the marker file as it starts hanging: the test waits for that event, then kills the
worker in the middle of sending. A worker started again finds the marker and sends normally.
"""

import os
import time
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend as FileBackend


class EmailBackend(FileBackend):
    def send_messages(self, email_messages):
        marker = Path(os.environ["ANIMA_TEST_HANG_MARKER"])
        recipient = os.environ["ANIMA_TEST_HANG_ON"]
        if not marker.exists() and any(recipient in m.to for m in email_messages):
            marker.write_text(recipient)
            while True:
                time.sleep(60)
        return super().send_messages(email_messages)

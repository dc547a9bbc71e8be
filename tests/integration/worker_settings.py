"""Settings of a worker whose mail server hangs on one chosen message (see hanging_mail)."""

from anima.settings import *  # noqa: F403

EMAIL_BACKEND = "tests.integration.hanging_mail.EmailBackend"

"""What the Celery tasks did, in the logs: scheduled jobs report how many things they handled.

Tasks return a count (or nothing); only that is logged, never their arguments, which may name
a person's record.
"""

from __future__ import annotations

import logging
from typing import Any

from celery.signals import task_failure, task_postrun, task_retry

logger = logging.getLogger(__name__)


@task_postrun.connect
def _finished(task: Any = None, retval: Any = None, state: str = "", **kwargs: Any) -> None:
    if state != "SUCCESS":
        return
    if isinstance(retval, bool) or not isinstance(retval, int):
        logger.info("Task %s done.", task.name)
    else:
        logger.info("Task %s done: %d handled.", task.name, retval)


@task_retry.connect
def _retried(request: Any = None, reason: Any = None, **kwargs: Any) -> None:
    # The class of the error only: an SMTP refusal, for one, quotes the recipient's address.
    logger.warning(
        "Task %s will be retried: %s", getattr(request, "task", "?"), type(reason).__name__
    )


@task_failure.connect
def _failed(sender: Any = None, exception: BaseException | None = None, **kwargs: Any) -> None:
    logger.error("Task %s failed: %s", getattr(sender, "name", "?"), type(exception).__name__)

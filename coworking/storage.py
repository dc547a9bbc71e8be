"""Where the proofs of situation are kept: the project's private root, never behind a URL."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    """``PRIVATE_MEDIA_ROOT``, read when used (so tests and deployments can move it); files are
    only served by permission-checked views."""

    def __init__(self):
        super().__init__(location=None, base_url=None)

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    def url(self, name):
        raise ValueError("Private files have no public URL.")


private_storage = PrivateStorage()


def proof_path(instance, filename: str) -> str:
    """A random name: the uploaded file name may carry personal data."""
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"proofs/{uuid.uuid4().hex}{suffix}"

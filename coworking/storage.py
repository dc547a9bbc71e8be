"""Where the proofs of situation are kept: outside MEDIA_ROOT, never behind a public URL."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files only served by permission-checked views (``base_url`` is deliberately unusable)."""

    def __init__(self):
        super().__init__(location=None, base_url=None)

    @property
    def base_location(self):
        return settings.COWORKING_PRIVATE_ROOT

    @property
    def location(self):
        return str(settings.COWORKING_PRIVATE_ROOT)

    def url(self, name):
        raise ValueError("Private files have no public URL.")


private_storage = PrivateStorage()


def proof_path(instance, filename: str) -> str:
    """A random name: the uploaded file name may carry personal data."""
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"proofs/{uuid.uuid4().hex}{suffix}"

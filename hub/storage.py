"""Storage for personal documents: under PRIVATE_MEDIA_ROOT, outside the public media, no URL."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Reads ``PRIVATE_MEDIA_ROOT`` when used (deployments and tests can move it); its files
    are served only by permission-checked views."""

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


def private_storage() -> PrivateStorage:
    """The storage for personal documents (outside MEDIA_ROOT); pass it as ``storage=``."""
    return PrivateStorage()

"""Where the proofs of situation are kept: the project's private root, never behind a URL."""

import uuid
from pathlib import PurePosixPath

from hub.services import private_storage as hub_private_storage

private_storage = hub_private_storage()


def proof_path(instance, filename: str) -> str:
    """A random name: the uploaded file name may carry personal data."""
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"proofs/{uuid.uuid4().hex}{suffix}"


def lease_document_path(instance, filename: str) -> str:
    """A random name under the lease's folder, keeping the file type."""
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"leases/{instance.lease_id}/{uuid.uuid4().hex}{suffix}"

"""Kept because migration 0003 imports ``fold`` from here; new code uses ``hub.services.fold``."""

from hub.services import fold

__all__ = ["fold"]

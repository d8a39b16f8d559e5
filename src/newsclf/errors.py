"""Exceptions newsclf raises on purpose: each carries a message meant for the user."""

from __future__ import annotations

__all__ = ["InputError", "ModelError", "ModelNotFoundError", "NewsclfError"]


class NewsclfError(Exception):
    """Base class: the CLI prints the message and exits with status 1."""


class ModelError(NewsclfError):
    """A model directory is unusable: wrong hash, other library version, unknown schema."""


class ModelNotFoundError(ModelError):
    """No trained model where one was expected."""


class InputError(NewsclfError):
    """Input that cannot be read at all (as opposed to one bad item, which becomes a record)."""

"""Domain errors: every refusal the store makes, with a message an agent can read."""

from __future__ import annotations


class DomainError(Exception):
    """A command was refused. ``message`` is Chinese and meant for the agent's screen.

    ``field`` names the form field at fault when there is one, so the console can show the
    message next to it.
    """

    def __init__(self, message: str, *, field: str | None = None, code: str = "refused"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
        # every bad field and its message, when a whole form was checked at once
        self.errors: dict[str, str] = {field: message} if field else {}


class NotFound(DomainError):
    """The ticket, unit, desk, topic or agent named does not exist."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message, field=field, code="not_found")


class Forbidden(DomainError):
    """The actor's role may not do this."""

    def __init__(self, message: str):
        super().__init__(message, code="forbidden")


class InvalidState(DomainError):
    """The ticket is not in a state that allows this command."""

    def __init__(self, message: str):
        super().__init__(message, code="invalid_state")


class InvalidInput(DomainError):
    """A field value is missing, too long, malformed or unsafe."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message, field=field, code="invalid_input")

    @classmethod
    def many(cls, errors: dict[str, str]) -> InvalidInput:
        """One error for a whole form: the first message, and every field's in ``errors``."""
        field, message = next(iter(errors.items()))
        error = cls(message, field=field)
        error.errors = dict(errors)
        return error

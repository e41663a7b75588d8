"""The one error shape of the service: ``{"error": {"status", "code", "message"}}``.

Every bad request (wrong type, too large, not French, empty, unknown field, bad key) is an
:class:`ApiError` raised by the code that notices it and turned into that JSON by the app; an
unexpected failure becomes a 500 with the same shape and no stack trace.
"""

from __future__ import annotations


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        headers: dict[str, str] | None = None,
        detail: dict | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.detail = detail or {}

    def to_dict(self) -> dict:
        err = {"status": self.status, "code": self.code, "message": self.message}
        err.update(self.detail)
        return {"error": err}


def type_name(value) -> str:
    """The JSON name of a value's type, for "must be a string, not number" messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__

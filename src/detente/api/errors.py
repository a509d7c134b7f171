"""Errors of the HTTP API: each has a status, a stable code and a message a user can act on."""

from __future__ import annotations


class ApiError(Exception):
    """An error answered as ``{"error": {"code", "message", "field"?}}`` (or an HTML page)."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def body(self) -> dict[str, dict[str, str]]:
        """The JSON body of the error."""
        err = {"code": self.code, "message": self.message}
        if self.field:
            err["field"] = self.field
        return {"error": err}


class InvalidParameter(ApiError):
    """A query parameter or body field that cannot be used (the field is named)."""

    status = 422
    code = "invalid_parameter"


class NotFound(ApiError):
    """No such event, article or actor."""

    status = 404
    code = "not_found"


class Unauthorized(ApiError):
    """A token is needed and was missing or wrong."""

    status = 401
    code = "unauthorized"


class WritesDisabled(ApiError):
    """The server has no token configured, so it takes no writes."""

    status = 403
    code = "writes_disabled"


class NotAcceptable(ApiError):
    """The requested output format is not one the server can write."""

    status = 406
    code = "not_acceptable"


class ProcessingFailed(ApiError):
    """A submitted article could not be processed."""

    status = 422
    code = "processing_failed"


class TooLarge(ApiError):
    """The request body or the article text is over the server's size limit."""

    status = 413
    code = "too_large"


class Busy(ApiError):
    """Too many articles are waiting to be processed; try again shortly."""

    status = 503
    code = "busy"


def documented(*errors: type[ApiError]) -> dict[int | str, dict[str, object]]:
    """OpenAPI ``responses`` for the errors a route may answer: each status with the error body's schema."""
    schema = {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["code", "message"],
        "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "field": {"type": "string"}}}}}
    out: dict[int | str, dict[str, object]] = {}
    kinds: tuple[type[ApiError], ...] = (InvalidParameter, *errors)
    for err in kinds:
        doc = out.setdefault(err.status, {"description": "", "content": {"application/json": {"schema": schema}}})
        doc["description"] = "; ".join(filter(None, [str(doc["description"]), (err.__doc__ or err.code).strip()]))
    return out

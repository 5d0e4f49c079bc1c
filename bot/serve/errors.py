"""One error shape for every 4xx and 5xx: {"error": {"type", "message"}}."""

from __future__ import annotations

import json
import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot.errors import BotError
from bot.text import redact_paths, scrub

log = logging.getLogger("bot.server")


class HTTPError(Exception):
    """An HTTP-level refusal (auth, size) raised inside a handler."""

    def __init__(self, status: int, kind: str, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.kind, self.message, self.headers = status, kind, message, headers


class SafeJSONResponse(JSONResponse):
    """JSON that always encodes: a lone surrogate echoed from a request ("\\ud800") becomes '?', never a 500."""

    def render(self, content) -> bytes:
        return json.dumps(content, ensure_ascii=False, allow_nan=False, indent=None,
                          separators=(",", ":")).encode("utf-8", "replace")


def error_response(status: int, kind: str, message: str, headers: dict | None = None) -> JSONResponse:
    return SafeJSONResponse({"error": {"type": kind, "message": scrub(message)}}, status_code=status,
                            headers=headers)


def install(app: FastAPI) -> None:
    @app.exception_handler(BotError)
    async def bot_error(_: Request, exc: BotError):
        return error_response(exc.http_status, exc.__class__.__name__, redact_paths(str(exc)))

    @app.exception_handler(HTTPError)
    async def http_error(_: Request, exc: HTTPError):
        return error_response(exc.status, exc.kind, exc.message, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def starlette_error(_: Request, exc: StarletteHTTPException):
        kinds = {404: "NotFound", 405: "MethodNotAllowed"}
        return error_response(exc.status_code, kinds.get(exc.status_code, "HTTPError"), str(exc.detail),
                              getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ()))
        return error_response(422, "ValidationError", f"invalid request: {where}: {first.get('msg', 'bad value')}")

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception):  # last resort: never a traceback to the client
        log.exception("unexpected error")
        return error_response(500, "InternalError", "internal error; the server log has the details")

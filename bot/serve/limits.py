"""Request limits as pure ASGI middleware: body size counted as the bytes arrive, a per-client rate (bounded
memory, X-Forwarded-For only from trusted proxies), and a few response headers."""

from __future__ import annotations

import ipaddress
import threading
import time

from fastapi import FastAPI
from starlette.requests import ClientDisconnect

from bot.config import Config
from bot.serve.errors import error_response

ASK_PATHS = ("/api/ask", "/v1/chat/completions")
LIMITED_PREFIXES = ("/api", "/v1")
UPLOAD_PATH = "/api/documents"
MAX_CLIENTS = 10_000  # buckets kept; the least recently seen client is dropped first (a full bucket, by then)
MAX_DRAIN = 4 * 1024 * 1024  # bytes of a refused body still read (and dropped); past that the connection is cut
HEADERS = ((b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"))


class RateLimiter:
    """Token bucket per client: `per_minute` requests, refilled continuously; at most `max_clients` buckets."""

    def __init__(self, per_minute: int, max_clients: int = MAX_CLIENTS):
        self.rate = per_minute / 60.0
        self.capacity = float(per_minute)
        self.max_clients = max_clients
        self._buckets: dict[str, tuple[float, float]] = {}  # in order of last use, stalest first
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._buckets)

    def take(self, client: str) -> float:
        """0 when allowed, else seconds to wait."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.pop(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            while len(self._buckets) >= self.max_clients:  # the stalest bucket has refilled the most
                del self._buckets[next(iter(self._buckets))]
            if tokens >= 1:
                self._buckets[client] = (tokens - 1, now)
                return 0.0
            self._buckets[client] = (tokens, now)
            return (1 - tokens) / self.rate


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def client_address(scope: dict, trusted_proxies: frozenset[str]) -> str:
    """The peer address; behind a trusted proxy, the nearest X-Forwarded-For hop that is not a trusted proxy."""
    peer = (scope.get("client") or ("unknown", 0))[0]
    if peer not in trusted_proxies:
        return peer
    forwarded = [v.decode("latin-1") for k, v in scope.get("headers", ()) if k == b"x-forwarded-for"]
    hops = [h.strip() for h in ",".join(forwarded).split(",") if h.strip()]
    for hop in reversed(hops):
        if hop not in trusted_proxies:
            return hop if _is_ip(hop) else peer
    return peer


class BodyTooLarge:
    """Wraps `receive`: counts body bytes as they arrive; past the limit it answers 413 itself and tells the app
    the client went away, so nothing more is read or buffered."""

    def __init__(self, receive, send, limit: int):
        self.receive, self.send, self.limit = receive, send, limit
        self.seen = 0
        self.refused = False

    async def __call__(self):
        if self.refused:
            return {"type": "http.disconnect"}
        message = await self.receive()
        if message["type"] == "http.request":
            self.seen += len(message.get("body", b""))
            if self.seen > self.limit:
                self.refused = True
                await _send_error(self.send, 413, "PayloadTooLarge",
                                  f"the request body passed {self.limit} bytes, the limit")
                return {"type": "http.disconnect"}
        return message


async def _drain(receive, limit: int) -> None:
    """Read and drop what is left of a refused body (at most `limit` bytes): the connection then ends cleanly and
    the client reads the refusal, instead of a reset that loses it."""
    seen = 0
    while seen <= limit:
        message = await receive()
        if message["type"] != "http.request":
            return
        seen += len(message.get("body", b""))
        if not message.get("more_body", False):
            return


async def _send_error(send, status: int, kind: str, message: str, headers: dict | None = None) -> None:
    response = error_response(status, kind, message, headers)
    await send({"type": "http.response.start", "status": status, "headers": response.raw_headers + list(HEADERS)})
    await send({"type": "http.response.body", "body": response.body})


class LimitsMiddleware:
    def __init__(self, app, cfg: Config):
        self.app, self.cfg = app, cfg
        self.limiter = RateLimiter(cfg.rate_limit_per_minute)
        self.trusted = frozenset(cfg.trusted_proxies)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        guard = None
        if path.startswith(LIMITED_PREFIXES):
            refusal = self._refusal(scope, path)
            if refusal is not None:
                await _send_error(send, *refusal)
                return await _drain(receive, MAX_DRAIN)
            limit = self.cfg.max_upload_bytes + 65536 if path == UPLOAD_PATH else self.cfg.max_body_bytes
            guard = BodyTooLarge(receive, send, limit)
            receive = guard

        async def send_with_headers(message):
            if guard is not None and guard.refused:
                return  # the 413 went out already; whatever the app says after it is dropped
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", ())}
                message = {**message, "headers": list(message.get("headers", ()))
                           + [(k, v) for k, v in HEADERS if k not in names]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except ClientDisconnect:  # what reading a refused body ends in: the 413 went out already
            if guard is None or not guard.refused:
                raise
        if guard is not None and guard.refused:
            await _drain(guard.receive, MAX_DRAIN)

    def _refusal(self, scope: dict, path: str) -> tuple | None:
        """(status, kind, message[, headers]) when the request is refused before its body is read."""
        limit = self.cfg.max_upload_bytes + 65536 if path == UPLOAD_PATH else self.cfg.max_body_bytes
        length = dict(scope.get("headers", ())).get(b"content-length", b"").decode("latin-1")
        if length.isdigit() and int(length) > limit:
            return 413, "PayloadTooLarge", f"request body is {length} bytes; the limit is {limit}"
        if scope.get("method") == "POST" and path in ASK_PATHS:
            wait = self.limiter.take(client_address(scope, self.trusted))
            if wait:
                return (429, "RateLimited", f"too many questions: try again in {wait:.0f} s",
                        {"Retry-After": str(max(1, int(wait + 0.999)))})
        return None


def install(app: FastAPI, cfg: Config) -> None:
    app.add_middleware(LimitsMiddleware, cfg=cfg)

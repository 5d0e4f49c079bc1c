"""One HTTP server: the Gradio chat at /, the JSON API under /api, an OpenAI-compatible /v1, embed snippets."""

from __future__ import annotations

import hmac
import html
import json
import logging
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from fastapi import FastAPI, File, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response, StreamingResponse
from pydantic import BaseModel, Field

from .config import Config
from .errors import BadQuestionError, BotError, IndexMissingError, ReadError
from .models import Answer

log = logging.getLogger("bot.server")


# ----------------------------------------------------------------- request models
class Filters(BaseModel):
    year: int | None = None
    body: str | None = None


class AskRequest(BaseModel):
    question: str
    history: list[Any] = Field(default_factory=list, description="earlier questions: [\"q\", ...], "
                                                                   "[{\"question\": \"q\"}] or [[q, a], ...]")
    filters: Filters | None = None


class ChatMessage(BaseModel):
    role: str
    content: Any = ""


class ChatRequest(BaseModel):
    model: str | None = None
    messages: list[ChatMessage]
    stream: bool = False


# ----------------------------------------------------------------- helpers
class RateLimiter:
    """Token bucket per client: `per_minute` requests, refilled continuously."""

    def __init__(self, per_minute: int):
        self.rate = per_minute / 60.0
        self.capacity = float(per_minute)
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """0 when allowed, else seconds to wait."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens >= 1:
                self._buckets[client] = (tokens - 1, now)
                return 0.0
            self._buckets[client] = (tokens, now)
            return (1 - tokens) / self.rate


def _error(status: int, kind: str, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": {"type": kind, "message": message}}, status_code=status, headers=headers)


def _history_questions(history: list[Any]) -> list[tuple[str, None]]:
    out = []
    for turn in history or []:
        if isinstance(turn, str):
            out.append((turn, None))
        elif isinstance(turn, dict) and isinstance(turn.get("question"), str):
            out.append((turn["question"], None))
        elif isinstance(turn, (list, tuple)) and turn and isinstance(turn[0], str):
            out.append((turn[0], None))
    return out


def doc_summary(d) -> dict:
    return {"id": d.id, "file": d.file, "title": d.title, "body": d.body, "region": d.region, "level": d.level,
            "year": d.year, "published": d.published, "kind": d.kind, "chars": len(d.text)}


def sniff_upload(name: str, data: bytes) -> None:
    """Check content against the extension before anything is parsed."""
    suffix = Path(name).suffix.lower()
    if suffix == ".pdf" and not data.startswith(b"%PDF"):
        raise ReadError(f"{name} is not a PDF (it does not start with %PDF)")
    if suffix == ".docx" and not (data.startswith(b"PK") and b"word/" in data[:65536]):
        raise ReadError(f"{name} is not a Word .docx file")
    if suffix in (".txt", ".htm", ".html") and (data.startswith((b"%PDF", b"PK", b"\x7fELF", b"MZ"))
                                               or data[:4096].count(b"\x00") > 16
                                               and not data.startswith((b"\xff\xfe", b"\xfe\xff"))):
        raise ReadError(f"{name} is binary data, not a text or HTML report")


def render_source(doc, start: int, end: int) -> str:
    """The quoted span highlighted in a window of its document (short lead-in, so the mark is in view)."""
    start, end = max(0, min(start, len(doc.text))), max(0, min(end, len(doc.text)))
    before, quote, after = doc.text[:start], doc.text[start:end], doc.text[end:]
    section = next((" › ".join(p.section) for p in doc.paragraphs if p.start <= start < p.end + 1), "")
    meta = " · ".join(str(x) for x in (doc.body, doc.year, doc.region) if x)
    return (f"<div class='source-view'><h3 class='source-title'>{html.escape(doc.title)}</h3>"
            f"<p class='source-meta'>{html.escape(meta)} · <code>{html.escape(doc.id)}</code></p>"
            f"<p class='source-section'>{html.escape(section)}</p>"
            f"<div class='source-text' style='white-space:pre-wrap;max-height:28em;overflow:auto'>"
            f"{html.escape(before[-300:])}<mark class='quote' id='quote'>{html.escape(quote)}</mark>"
            f"{html.escape(after[:900])}</div></div>")


EMBED_JS = """(function () {
  var s = document.currentScript, base = s.src.replace(/\\/embed\\.js.*$/, '');
  var f = document.createElement('iframe');
  f.src = base + '/'; f.title = 'Government disclosure report bot';
  f.style.cssText = s.getAttribute('data-style') || 'width:420px;height:640px;border:1px solid #ccc;border-radius:8px';
  s.parentNode.insertBefore(f, s.nextSibling);
})();
"""


# ----------------------------------------------------------------- app
def create_app(cfg: Config, service=None, build_in_background: bool = True) -> FastAPI:
    from . import web

    state: dict[str, Any] = {"service": service, "status": "ready" if service else "starting", "progress": ""}
    write_lock = threading.Lock()
    limiter = RateLimiter(cfg.rate_limit_per_minute)

    def open_service() -> None:
        from .service import Service

        def progress(msg: str) -> None:
            state["progress"] = msg
            log.warning("index: %s", msg)

        try:
            state["status"] = "building"
            state["service"] = Service.open(cfg, build_if_missing=True, progress=progress)
            state["status"] = "ready"
        except BotError as exc:
            state["status"] = "error"
            state["progress"] = str(exc)
            log.error("cannot open the index: %s", exc)

    def get_service():
        if state["service"] is None:
            raise IndexMissingError(f"the index is not ready ({state['status']}: {state['progress']}); "
                                    "wait for the build to finish or run `python -m bot index build`")
        return state["service"]

    app = FastAPI(title="govinfo-bot API", version="0.1.0", docs_url="/api/docs", openapi_url="/api/openapi.json",
                  redoc_url=None, description="Cited answers from Chinese government information-disclosure "
                                              "annual reports.")
    if cfg.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(cfg.cors_origins), allow_methods=["GET", "POST", "DELETE"],
                           allow_headers=["Authorization", "X-API-Key", "Content-Type"])

    @app.middleware("http")
    async def limits(request: Request, call_next):
        path = request.url.path
        limit = cfg.max_upload_bytes + 65536 if path == "/api/documents" else cfg.max_body_bytes
        if path.startswith(("/api", "/v1")):
            length = request.headers.get("content-length")
            if length and length.isdigit() and int(length) > limit:
                return _error(413, "PayloadTooLarge", f"request body is {length} bytes; the limit is {limit}")
            if request.method == "POST" and path in ("/api/ask", "/v1/chat/completions"):
                client = request.client.host if request.client else "unknown"
                wait = limiter.take(client)
                if wait:
                    return _error(429, "RateLimited", f"too many questions: try again in {wait:.0f} s",
                                  {"Retry-After": str(max(1, int(wait + 0.999)))})
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    @app.exception_handler(BotError)
    async def bot_error(_: Request, exc: BotError):
        return _error(exc.http_status, exc.__class__.__name__, str(exc))

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ()))
        return _error(422, "ValidationError", f"invalid request: {where}: {first.get('msg', 'bad value')}")

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception):  # last resort: never a traceback to the client
        log.exception("unexpected error")
        return _error(500, "InternalError", "internal error; the server log has the details")

    def require_key(request: Request) -> None:
        if not cfg.api_key:
            raise _HTTP(403, "WritesDisabled", "writes are disabled: set BOT_API_KEY on the server to enable them")
        auth = request.headers.get("authorization", "")
        given = auth[7:].strip() if auth.lower().startswith("bearer ") else request.headers.get("x-api-key", "")
        if not given:
            raise _HTTP(401, "Unauthorized", "this needs the API key: send 'Authorization: Bearer <key>'")
        if not hmac.compare_digest(given.encode(), cfg.api_key.encode()):
            raise _HTTP(403, "Forbidden", "wrong API key")

    @app.exception_handler(_HTTPError)
    async def http_error(_: Request, exc: _HTTPError):
        return _error(exc.status, exc.kind, exc.message)

    # ------------------------------------------------------------- API
    @app.post("/api/ask", tags=["ask"])
    def ask(req: AskRequest) -> dict:
        """Answer a question with citations (same JSON as `python -m bot ask --json`)."""
        filters = req.filters.model_dump() if req.filters else None
        return get_service().ask(req.question, history=_history_questions(req.history), filters=filters).to_json()

    @app.get("/api/health", tags=["status"])
    def health() -> dict:
        svc = state["service"]
        out = {"status": state["status"], "progress": state["progress"]}
        if svc is not None:
            st = svc.status()
            out.update({k: st[k] for k in ("documents", "chunks", "embedder", "updated_at", "stale")})
        return out

    @app.get("/api/status", tags=["status"])
    def status() -> dict:
        return get_service().status()

    @app.get("/api/documents", tags=["documents"])
    def documents(offset: int = 0, limit: int = 50, year: int | None = None, body: str | None = None,
                  q: str | None = None) -> dict:
        docs = get_service().documents()
        if year is not None:
            docs = [d for d in docs if d.year == year]
        if body:
            docs = [d for d in docs if body in d.body or body in d.region]
        if q:
            docs = [d for d in docs if q in d.title or q in d.id or q in d.body or q.lower() in d.pinyin]
        limit = max(1, min(limit, 500))
        return {"total": len(docs), "offset": offset, "limit": limit,
                "documents": [doc_summary(d) for d in docs[max(0, offset):offset + limit]]}

    @app.get("/api/documents/{doc_id:path}", tags=["documents"])
    def document(doc_id: str) -> dict:
        d = get_service().document(doc_id)
        return {**doc_summary(d), "sections": d.sections, "text": d.text,
                "paragraphs": [{"text": p.text, "start": p.start, "end": p.end, "section": list(p.section),
                                "heading": p.is_heading, "table_row": p.is_table_row} for p in d.paragraphs]}

    @app.post("/api/documents", tags=["documents"], status_code=201)
    async def upload(request: Request, file: UploadFile = File(...)) -> dict:
        """Add a report (txt, html, pdf, docx); the index updates incrementally. Needs the API key."""
        require_key(request)
        data = await file.read(cfg.max_upload_bytes + 1)
        if len(data) > cfg.max_upload_bytes:
            raise _HTTP(413, "PayloadTooLarge", f"the file is larger than {cfg.max_upload_bytes} bytes")
        name = file.filename or "upload.txt"
        sniff_upload(name, data)
        with write_lock:  # one index writer at a time
            ids = get_service().add_file(name, data)
        return {"added": ids}

    @app.delete("/api/documents/{doc_id:path}", tags=["documents"])
    def delete(request: Request, doc_id: str) -> dict:
        """Remove the report holding this document from the corpus and the index. Needs the API key."""
        require_key(request)
        with write_lock:
            return {"removed": get_service().delete_document(doc_id)}

    @app.get("/source/{doc_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def source(doc_id: str, start: int = 0, end: int = 0) -> HTMLResponse:
        d = get_service().document(doc_id)
        page = (f"<!doctype html><meta charset='utf-8'><title>{html.escape(d.title)}</title>"
                "<style>body{font-family:sans-serif;max-width:48em;margin:2em auto}mark{background:#ffe066}</style>"
                + render_source(d, start, end)
                + "<script>var q=document.getElementById('quote');if(q)q.scrollIntoView({block:'center'})</script>")
        return HTMLResponse(page)

    # ------------------------------------------------------------- OpenAI-compatible
    @app.get("/v1/models", tags=["openai"])
    def models() -> dict:
        return {"object": "list", "data": [{"id": "govinfo-bot", "object": "model", "owned_by": "govinfo-bot"}]}

    @app.post("/v1/chat/completions", tags=["openai"])
    def chat(req: ChatRequest):
        users = [m for m in req.messages if m.role == "user"]
        if not users:
            raise BadQuestionError("messages must contain a user message with the question")
        question = _content_text(users[-1].content)
        history = [(_content_text(m.content), None) for m in users[:-1]]
        ans: Answer = get_service().ask(question, history=history)
        cid, created = f"chatcmpl-{uuid.uuid4().hex[:24]}", int(time.time())
        cites = [c.__dict__ for c in ans.citations]
        if not req.stream:
            return {"id": cid, "object": "chat.completion", "created": created, "model": req.model or "govinfo-bot",
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": ans.answer},
                                 "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
                    "citations": cites, "found": ans.found}

        def events():
            base = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": req.model or "govinfo-bot"}
            yield f"data: {json.dumps({**base, 'choices': [{'index': 0, 'delta': {'role': 'assistant'}, 'finish_reason': None}]}, ensure_ascii=False)}\n\n"
            for i in range(0, len(ans.answer), 40):
                piece = ans.answer[i:i + 40]
                yield f"data: {json.dumps({**base, 'choices': [{'index': 0, 'delta': {'content': piece}, 'finish_reason': None}]}, ensure_ascii=False)}\n\n"
            yield f"data: {json.dumps({**base, 'choices': [{'index': 0, 'delta': {}, 'finish_reason': 'stop'}], 'citations': cites}, ensure_ascii=False)}\n\n"
            yield "data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")

    # ------------------------------------------------------------- embedding in portals
    @app.get("/embed.js", include_in_schema=False)
    def embed_js() -> Response:
        return Response(EMBED_JS, media_type="application/javascript")

    @app.get("/embed", response_class=HTMLResponse, include_in_schema=False)
    def embed_page(request: Request) -> HTMLResponse:
        base = str(request.base_url).rstrip("/")
        snippet = f'<script src="{base}/embed.js" async></script>'
        return HTMLResponse("<!doctype html><meta charset='utf-8'><title>Embed the bot</title>"
                            f"<h1>Embed the bot in a portal</h1><p>Paste this where the chat should appear:</p>"
                            f"<pre>{html.escape(snippet)}</pre>{snippet}")

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> PlainTextResponse:
        return PlainTextResponse(state["status"])

    if service is None and build_in_background:
        threading.Thread(target=open_service, name="open-index", daemon=True).start()

    import gradio as gr

    blocks = web.build_ui(cfg, lambda: state["service"], lambda: (state["status"], state["progress"]))
    return gr.mount_gradio_app(app, blocks, path="/", css=web.CSS)


class _HTTPError(Exception):
    def __init__(self, status: int, kind: str, message: str):
        super().__init__(message)
        self.status, self.kind, self.message = status, kind, message


_HTTP = _HTTPError


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # [{"type": "text", "text": "..."}]
        return " ".join(p.get("text", "") for p in content if isinstance(p, dict))
    return str(content or "")


def serve_in_background(app, host: str = "127.0.0.1"):
    """Serve `app` on a free loopback port from a daemon thread (benchmarks, browser tests).
    Returns (base url, uvicorn server); set `server.should_exit = True` to stop it."""
    import socket

    import uvicorn

    with socket.socket() as sock:
        sock.bind((host, 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
    threading.Thread(target=server.run, name="uvicorn", daemon=True).start()
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    return f"http://{host}:{port}", server


def run_server(cfg: Config) -> None:
    import uvicorn

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("bot").setLevel(logging.INFO)  # libraries stay quiet (faiss logs its CPU probing)
    app = create_app(cfg)
    print(f"web chat: http://{cfg.host}:{cfg.port}/   API docs: http://{cfg.host}:{cfg.port}/api/docs", flush=True)
    uvicorn.run(app, host=cfg.host, port=cfg.port, log_level="info")

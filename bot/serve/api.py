"""The JSON API under /api: ask, status, documents (list, read, upload, delete)."""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import Any

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from bot.config import Config
from bot.errors import ReadError
from bot.files import remember_checked, safe_name
from bot.ingest import read_documents, sniff
from bot.models import Document
from bot.serve.errors import HTTPError
from bot.serve.state import AppState, release_memory
from bot.text import redact_paths


class FiltersIn(BaseModel):
    year: int | None = None
    body: str | None = None


class AskRequest(BaseModel):
    question: str
    history: list[Any] = Field(default_factory=list, description="earlier questions: [\"q\", ...], "
                                                                   "[{\"question\": \"q\"}] or [[q, a], ...]")
    filters: FiltersIn | None = None


def doc_summary(d: Document) -> dict:
    return {"id": d.id, "file": d.file, "title": d.title, "body": d.body, "region": d.region, "level": d.level,
            "year": d.year, "published": d.published, "kind": d.kind, "chars": len(d.text)}


def doc_detail(d: Document) -> dict:
    return {**doc_summary(d), "sections": d.sections, "text": d.text,
            "paragraphs": [{"text": p.text, "start": p.start, "end": p.end, "section": list(p.section),
                            "heading": p.is_heading, "table_row": p.is_table_row} for p in d.paragraphs]}


def require_key(cfg: Config, request: Request) -> None:
    """Writes need the configured API key (constant-time comparison); none configured means no writes."""
    if not cfg.api_key:
        raise HTTPError(403, "WritesDisabled", "writes are disabled: set BOT_API_KEY on the server to enable them")
    auth = request.headers.get("authorization", "")
    given = auth[7:].strip() if auth.lower().startswith("bearer ") else request.headers.get("x-api-key", "")
    if not given:
        raise HTTPError(401, "Unauthorized", "this needs the API key: send 'Authorization: Bearer <key>'")
    if not hmac.compare_digest(given.encode(), cfg.api_key.encode()):
        raise HTTPError(403, "Forbidden", "wrong API key")


def check_upload(filename: str, data: bytes) -> list[str]:
    """Check and parse an upload, writing nothing: needs no writer lock, so a broken file is refused (422 naming
    it) without waiting for a write in progress; the write then reuses the parse (bot.files.recall_checked)."""
    name = safe_name(filename)
    sniff(name, data)
    try:
        docs = read_documents(Path(name), data)
    except RecursionError as exc:  # e.g. a JSON-lines export holding [[[[…]]]]: the parsers recurse
        raise ReadError(f"{name} is nested too deeply to read (JSON or HTML thousands of levels deep): export the "
                        "report again as plain text, HTML, PDF or .docx") from exc
    ids = [d.id for d in docs]
    remember_checked(name, data, ids)
    return ids


def _filter_docs(docs: list[Document], year: int | None, body: str | None, q: str | None) -> list[Document]:
    if year is not None:
        docs = [d for d in docs if d.year == year]
    if body:
        docs = [d for d in docs if body in d.body or body in d.region]
    if q:
        docs = [d for d in docs if q in d.title or q in d.id or q in d.body or q.lower() in d.pinyin]
    return docs


def router(state: AppState) -> APIRouter:
    api = APIRouter(prefix="/api")

    @api.post("/ask", tags=["ask"])
    def ask(req: AskRequest) -> dict:
        """Answer a question with citations (same JSON as `python -m bot ask --json`)."""
        filters = req.filters.model_dump() if req.filters else None
        return state.get_service().ask(req.question, history=req.history, filters=filters).to_json()

    @api.get("/health", tags=["status"])
    async def health() -> dict:  # on the event loop: no wait for a worker thread while uploads and asks run
        out = {"status": state.status, "progress": redact_paths(state.progress)}
        if state.service is not None:
            st = state.service.status()
            out.update({k: st[k] for k in ("documents", "chunks", "embedder", "store", "updated_at", "stale")})
        return out

    @api.get("/status", tags=["status"])
    def status() -> dict:
        return state.get_service().status()

    @api.get("/documents", tags=["documents"])
    def documents(offset: int = 0, limit: int = 50, year: int | None = None, body: str | None = None,
                  q: str | None = None) -> dict:
        docs = _filter_docs(state.get_service().documents(), year, body, q)
        limit = max(1, min(limit, 500))
        return {"total": len(docs), "offset": offset, "limit": limit,
                "documents": [doc_summary(d) for d in docs[max(0, offset):offset + limit]]}

    @api.get("/documents/{doc_id:path}", tags=["documents"])
    def document(doc_id: str) -> dict:
        return doc_detail(state.get_service().document(doc_id))

    _write_routes(api, state)
    return api


def _write_routes(api: APIRouter, state: AppState) -> None:
    """Uploads and deletes: need the API key; parsing and indexing run in worker threads behind the single writer."""
    cfg = state.cfg

    @api.post("/documents", tags=["documents"], status_code=201)
    async def upload(request: Request, file: UploadFile = File(...), replace: bool = False) -> dict:
        """Add a report (txt, html, pdf, docx); the index updates incrementally. Needs the API key.
        A report whose id or bytes exist is refused (409) unless `replace=true`."""
        require_key(cfg, request)
        data = await file.read(cfg.max_upload_bytes + 1)
        if len(data) > cfg.max_upload_bytes:
            raise HTTPError(413, "PayloadTooLarge", f"the file is larger than {cfg.max_upload_bytes} bytes")
        state.get_service()  # 503 before anything is parsed when the index is not ready
        name = file.filename or "upload.txt"
        try:
            checked = await run_in_threadpool(check_upload, name, data)  # broken: refused without waiting for a write
            ids = await run_in_threadpool(state.add_file, name, data, replace, checked)
        finally:
            del data
            await run_in_threadpool(release_memory)
        return {"added": ids}

    @api.delete("/documents/{doc_id:path}", tags=["documents"])
    def delete(request: Request, doc_id: str) -> dict:
        """Remove the report holding this document from the index (its file is kept). Needs the API key."""
        require_key(cfg, request)
        state.get_service().document(doc_id)  # 404 for an unknown id at once, not after a write in progress
        try:
            return {"removed": state.delete_document(doc_id)}
        finally:
            release_memory()

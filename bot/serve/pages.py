"""HTML pages outside the chat: a cited passage in its whole report, the original file, offline API docs, the
embed snippet for portals, a health probe."""

from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import quote as urlquote

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, PlainTextResponse, Response

from bot.errors import NotFoundError
from bot.models import Document
from bot.serve.i18n import pick_lang, t
from bot.serve.state import AppState

STATIC = Path(__file__).parent / "static"
EMBED_JS = (STATIC / "embed.js").read_text(encoding="utf-8")
SOURCE_CSS = """body{font-family:system-ui,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;
max-width:50em;margin:0 auto;padding:1em 1.2em 4em;line-height:1.75;color:#1f2937;background:#fafaf7}
header{position:sticky;top:0;background:#fafaf7;border-bottom:1px solid #e5e7eb;padding:.6em 0}
.source-title{margin:.2em 0;font-size:1.3em}.source-meta{color:#6b7280;margin:.2em 0}
.source-section{color:#92400e;margin:.2em 0}nav a{margin-right:1.2em}
.source-text{white-space:pre-wrap;background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:1em 1.3em}
mark.quote{background:#ffe066;padding:0 2px;scroll-margin-top:9em}"""
DOCS_HTML = """<!doctype html><html><head><meta charset="utf-8"><title>govinfo-bot API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head><body><div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({url: "/api/openapi.json", dom_id: "#swagger-ui", deepLinking: true});</script>
</body></html>"""
DOCS_ASSETS = {"swagger-ui.css": "text/css", "swagger-ui-bundle.js": "application/javascript"}


def _clip(doc: Document, start: int, end: int) -> tuple[int, int]:
    start = max(0, min(start, len(doc.text)))
    return start, max(start, min(end, len(doc.text)))


def _meta(doc: Document) -> str:
    return " · ".join(str(x) for x in (doc.body, doc.year, doc.region) if x)


def render_source(doc: Document, start: int, end: int, whole: bool = False) -> str:
    """The quoted span highlighted in its document: a window around it (the chat's panel) or the whole text."""
    start, end = _clip(doc, start, end)
    before, quote, after = doc.text[:start], doc.text[start:end], doc.text[end:]
    if not whole:  # a short lead-in (at most 2 lines: table rows are short) keeps the quote in view
        before, after = "\n".join(before[-160:].split("\n")[-2:]), after[:900]
    section = next((" › ".join(p.section) for p in doc.paragraphs if p.start <= start < p.end + 1), "")
    height = "" if whole else "max-height:28em;overflow:auto"
    return (f"<div class='source-view'><h3 class='source-title'>{html.escape(doc.title or doc.id)}</h3>"
            f"<p class='source-meta'>{html.escape(_meta(doc))}</p>"
            f"<p class='source-section'>{html.escape(section)}</p>"
            f"<div class='source-text' style='white-space:pre-wrap;{height}'>"
            f"{html.escape(before)}<mark class='quote' id='quote'>{html.escape(quote)}</mark>"
            f"{html.escape(after)}</div></div>")


def source_page(doc: Document, start: int, end: int, lang: str) -> str:
    """The whole cleaned report, scrolled to the highlighted quote, with a link to the original file."""
    nav = (f"<nav><a href='/?lang={lang}'>← {t(lang, 'source_back')}</a><a href='#quote'>{t(lang, 'source_cited')}</a>"
           f"<a class='download' href='/original/{urlquote(doc.id)}'>{t(lang, 'source_download')}</a></nav>")
    return (f"<!doctype html><html lang='{'en' if lang == 'en' else 'zh-CN'}'><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width,initial-scale=1'>"
            f"<title>{html.escape(doc.title or doc.id)}</title><style>{SOURCE_CSS}</style><header>{nav}</header>"
            + render_source(doc, start, end, whole=True)
            + "<script>var q=document.getElementById('quote');if(q)q.scrollIntoView({block:'center'})</script>")


def original_file(state: AppState, doc: Document) -> Path:
    """The report's original file, only from the corpus or data directory (never a path outside them)."""
    for root in (state.cfg.data_dir, state.cfg.corpus_dir):
        base = Path(root).resolve()
        path = (base / doc.file).resolve()
        if path.is_relative_to(base) and path != base and path.is_file():
            return path
    raise NotFoundError(f"the original file of {doc.id!r} is not available")


def embed_page(base: str, request: Request) -> str:
    lang = pick_lang(request.query_params.get("lang"), request.headers.get("accept-language"))
    snippet = (f'<script src="{base}/embed.js" data-height="600px" data-lang="{lang}" '
               'data-year="" data-body="" async></script>')
    return (f"<!doctype html><meta charset='utf-8'><title>{t(lang, 'embed_title')}</title>"
            f"<style>{SOURCE_CSS}</style><h1>{t(lang, 'embed_title')}</h1><p>{t(lang, 'embed_intro')}</p>"
            f"<pre>{html.escape(snippet)}</pre><h2>{t(lang, 'embed_preview')}</h2>{snippet}")


def router(state: AppState) -> APIRouter:
    pages = APIRouter(include_in_schema=False)

    @pages.get("/source/{doc_id:path}", response_class=HTMLResponse)
    def source(doc_id: str, request: Request, start: int = 0, end: int = 0, fragment: bool = False,
               lang: str | None = None) -> HTMLResponse:
        d = state.get_service().document(doc_id)
        if fragment:
            return HTMLResponse(render_source(d, start, end))
        return HTMLResponse(source_page(d, start, end, pick_lang(lang, request.headers.get("accept-language"))))

    @pages.get("/original/{doc_id:path}")
    def original(doc_id: str) -> FileResponse:
        doc = state.get_service().document(doc_id)
        return FileResponse(original_file(state, doc), filename=Path(doc.file).name)

    @pages.get("/api/docs", response_class=HTMLResponse)
    def api_docs() -> HTMLResponse:
        return HTMLResponse(DOCS_HTML)

    @pages.get("/api/docs/assets/{name}")
    def api_docs_asset(name: str) -> FileResponse:
        import fastapi_offline  # ships Swagger UI 5 (OpenAPI 3.1): the docs need no CDN

        if name not in DOCS_ASSETS:
            raise NotFoundError(f"no asset {name!r}")
        return FileResponse(Path(fastapi_offline.__file__).parent / "static" / name, media_type=DOCS_ASSETS[name])

    @pages.get("/embed.js")
    def embed_js() -> Response:
        return Response(EMBED_JS, media_type="application/javascript")

    @pages.get("/embed", response_class=HTMLResponse)
    def embed(request: Request) -> HTMLResponse:
        return HTMLResponse(embed_page(str(request.base_url).rstrip("/"), request))

    @pages.get("/healthz")
    def healthz() -> PlainTextResponse:
        return PlainTextResponse(state.status)

    return pages


__all__ = ["render_source", "router"]

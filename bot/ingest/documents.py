"""Ingest stage: one report file -> cleaned Documents with a section tree and metadata."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from bot.errors import ReadError
from bot.files import EXPORT_SUFFIXES, SUPPORTED_SUFFIXES
from bot.ingest.clean import clean_lines
from bot.ingest.crawl import looks_like_export, read_export
from bot.ingest.html import Page, read_page
from bot.ingest.metadata import describe
from bot.ingest.oneline import unflatten
from bot.ingest.readers import Line, decode_html, html_lines, looks_like_html, read_lines
from bot.ingest.sections import assign, heading_level, split_heading
from bot.ingest.stacked import restack
from bot.models import Document, Paragraph

_ARTICLE = re.compile(r"^第([一二三四五六七八九十百]+)篇\s*[:：]?\s*(.*)$")


def _split_articles(lines: list[Line]) -> list[tuple[str, list[Line]]]:
    """A file holding several articles (第一篇: … 第二篇: …) becomes one part per article."""
    starts = [i for i, l in enumerate(lines) if not l.is_table_row and _ARTICLE.match(l.text.strip())]
    if len(starts) < 2:
        return [("", lines)]
    parts = []
    for k, s in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        title = _ARTICLE.match(lines[s].text.strip()).group(2).rstrip(".。 ")
        parts.append((title, lines[s + 1:end]))
    return parts


def _build(doc_id: str, file: str, lines: list[Line]) -> tuple[str, list[Paragraph]]:
    text_parts: list[str] = []
    paragraphs: list[Paragraph] = []
    pos = 0
    stack: list[tuple[int, str]] = []
    for line in lines:
        t = line.text.strip()
        if not t:
            continue
        is_heading = False
        if not line.is_table_row:
            found = split_heading(t)
            if found is not None:
                heading, whole = found
                stack = assign(stack, heading_level(t), heading)
                is_heading = whole
        section = tuple(h for _, h in stack)
        paragraphs.append(Paragraph(t, pos, pos + len(t), section, is_heading, line.is_table_row))
        text_parts.append(t)
        pos += len(t) + 1
    return "\n".join(text_parts), paragraphs


def _bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ReadError(f"cannot read {path.name}: {exc.strerror}") from exc


def _load(path: Path, data: bytes | None) -> Page:
    """The file's lines; web pages also give their meta tags and heading, with provenance."""
    if data is None:
        data = _bytes(path)
    if data.strip() and path.suffix.lower() in SUPPORTED_SUFFIXES and looks_like_html(data, path.suffix.lower()):
        return read_page(decode_html(data, path.name))
    return Page(read_lines(path, data))


def _merged_meta(page: Page, cleaned_meta: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """The page's tags first for the title, the text's own header lines first for everything else."""
    meta, sources = dict(cleaned_meta), {k: "text" for k in cleaned_meta}
    for key, value in page.meta.items():
        if key == "名称" or key not in meta:
            meta[key], sources[key] = value, page.sources.get(key, "page")
    return meta, sources


def _document(doc_id: str, file: str, lines: list[Line], meta: dict, sources: dict, article_title: str = "",
              from_pdf: bool = False) -> Document | None:
    text, paragraphs = _build(doc_id, file, lines)
    if not text.strip():
        return None
    doc = Document(id=doc_id, file=file, text=text, paragraphs=paragraphs,
                   content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest())
    return describe(doc, meta, article_title, sources)


def _export_documents(path: Path, data: bytes | None) -> list[Document]:
    """One document per annual-report row of a crawler export (`<stem>#<row>`), with its URL."""
    rows, _ = read_export(data if data is not None else _bytes(path), path.name)
    docs = []
    for row in rows:
        raw = html_lines(row.content) if re.search(r"<(p|div|table|br)\b", row.content[:2000], re.I) else \
            [Line(t) for t in row.content.splitlines()]
        cleaned = clean_lines(restack(unflatten([Line(row.title)] + raw if row.title else raw)))
        meta = {k: v for k, v in (("名称", row.title), ("发布日期", row.date)) if v}
        doc = _document(f"{path.stem}#{row.n}", path.name, cleaned.lines, {**cleaned.meta, **meta},
                        {"名称": "crawl:title", "发布日期": "crawl:date"})
        if doc is not None:
            doc.url = row.url
            docs.append(doc)
    return docs


def read_documents(path: Path, data: bytes | None = None) -> list[Document]:
    """All documents in one file; raises ReadError saying what is wrong and what to do."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".txt" and data is None:
        data = _bytes(path)  # (read once: it is sniffed, then read as an export or as a page)
    exported = suffix == ".txt" and looks_like_export(data, path.name)
    if suffix in EXPORT_SUFFIXES or exported:
        docs = _export_documents(path, data)
        if docs:
            return docs
        if not exported:
            raise ReadError(f"{path.name} holds no annual-report rows (titles like …政府信息公开工作年度报告)")
        # a text file that only looks like an export: read as the text it is rather than lost
    page = _load(path, data)
    from_pdf = suffix == ".pdf"
    lines = unflatten(page.lines)
    cleaned = clean_lines(lines if from_pdf else restack(lines), from_pdf=from_pdf)  # (a PDF's lone figures: pages)
    meta, sources = _merged_meta(page, cleaned.meta)
    parts = _split_articles(cleaned.lines)
    docs = []
    for n, (article_title, part) in enumerate(parts, 1):
        single = len(parts) == 1
        doc = _document(path.stem if single else f"{path.stem}#{n}", path.name, part, meta if single else {},
                        sources if single else {}, article_title)
        if doc is not None:
            docs.append(doc)
    if not docs:
        raise ReadError(f"{path.name} holds no text after removing page chrome: check that it is a report")
    return docs


def load_corpus(directory: Path) -> tuple[list[Document], list[tuple[Path, str]]]:
    """Every supported file in `directory` (sorted by name); unreadable files are reported, not fatal."""
    directory = Path(directory)
    docs: list[Document] = []
    failures: list[tuple[Path, str]] = []
    if not directory.is_dir():
        return [], [(directory, "not a directory: pass the folder that holds the reports")]
    for path in sorted(directory.iterdir()):
        if not path.is_file() or path.name.startswith("."):
            continue
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            failures.append((path, f"unsupported file type {path.suffix or '(none)'}; supported: "
                                   f"{', '.join(sorted(SUPPORTED_SUFFIXES))}"))
            continue
        try:
            docs.extend(read_documents(path))
        except ReadError as exc:
            failures.append((path, str(exc)))
    return docs, failures

"""Ingest stage: report files -> cleaned Documents with a section tree and metadata."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from .clean import clean_lines
from .errors import ReadError
from .metadata import describe
from .models import Document, Paragraph
from .readers import SUPPORTED_SUFFIXES, Line, read_lines
from .sections import assign, heading_level, split_heading

__all__ = ["SUPPORTED_SUFFIXES", "load_corpus", "read_documents"]

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


def read_documents(path: Path, data: bytes | None = None) -> list[Document]:
    """All documents in one file; raises ReadError saying what is wrong and what to do."""
    path = Path(path)
    lines = read_lines(path, data)
    cleaned = clean_lines(lines, from_pdf=path.suffix.lower() == ".pdf")
    parts = _split_articles(cleaned.lines)
    docs = []
    for n, (article_title, part) in enumerate(parts, 1):
        doc_id = path.stem if len(parts) == 1 else f"{path.stem}#{n}"
        text, paragraphs = _build(doc_id, path.name, part)
        if not text.strip():
            continue
        doc = Document(id=doc_id, file=path.name, text=text, paragraphs=paragraphs,
                       content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest())
        describe(doc, cleaned.meta if len(parts) == 1 else {}, article_title)
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

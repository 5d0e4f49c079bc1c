"""Chunking: sentences of one section packed into small chunks, so a citation quotes one fact."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

from bot.models import Chunk, Document, Paragraph
from bot.text import normalize

# Bump when chunk boundaries or embed_text change: the manifest refuses indexes of another version.
CHUNKER_VERSION = "sections-v3+tokens-v2"  # v3: chunks carry their kind; tokens-v2: per-index vocabulary
MAX_CHUNK_CHARS = 160

# Sentence ends: Chinese and Western full stops, question/exclamation marks, semicolons.
_SENTENCE_END = re.compile(r"[^。！？!?；;]*(?:[。！？!?；;]+[”’」』)）]*|$)")


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Spans (start, end) of the sentences of `text`, shifted by `offset`; whitespace trimmed."""
    spans = []
    for m in _SENTENCE_END.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s + offset, e + offset))
    return spans


def _pack(spans: list[tuple[int, int]], limit: int) -> Iterator[tuple[int, int]]:
    """Greedily join consecutive sentence spans while the result stays within `limit` chars."""
    start = end = None
    for s, e in spans:
        if start is None:
            start, end = s, e
        elif e - start <= limit:
            end = e
        else:
            yield start, end
            start, end = s, e
    if start is not None:
        yield start, end


def chunk_id_int(doc_id: str, content_hash: str, n: int) -> int:
    """Stable positive int64 FAISS id; the content hash keeps ids of changed documents distinct."""
    digest = hashlib.blake2b(f"{doc_id}\x00{content_hash}\x00{n}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") & 0x7FFF_FFFF_FFFF_FFFF


def context_prefix(doc: Document, section: tuple[str, ...]) -> str:
    """Title, body and year once each, then the section path: embedding cost grows with every token."""
    year = f"{doc.year}年" if doc.year else ""
    parts = [doc.title]
    parts += [p for p in (doc.body, year) if p and p not in doc.title and p.rstrip("年") not in doc.title]
    parts.append(" > ".join(section))
    return " | ".join(p for p in parts if p)


def _units(doc: Document) -> Iterator[tuple[tuple[str, ...], int, int, str]]:
    """(section, start, end, kind) of the pieces to chunk: sentence groups of prose, whole table rows."""
    run: list[Paragraph] = []

    def flush() -> Iterator[tuple[tuple[str, ...], int, int, str]]:
        spans: list[tuple[int, int]] = []
        for p in run:
            spans.extend(split_sentences(p.text, p.start))
        for s, e in _pack(spans, MAX_CHUNK_CHARS):
            yield run[0].section, s, e, "text"
        run.clear()

    for p in doc.paragraphs:
        if p.is_heading:
            continue
        if p.is_table_row:
            yield from flush()
            yield p.section, p.start, p.end, "table_row"
            continue
        if run and (p.section != run[0].section):
            yield from flush()
        # paragraphs are separate units so a chunk never spans two paragraphs
        run.append(p)
        yield from flush()
    yield from flush()


def chunk_document(doc: Document) -> list[Chunk]:
    chunks = []
    for n, (section, s, e, kind) in enumerate(_units(doc)):
        text = doc.text[s:e]
        prefix = context_prefix(doc, section)
        chunks.append(Chunk(
            id=f"{doc.id}::{n}", doc_id=doc.id, section=section, text=text, start=s, end=e,
            norm=normalize(text), embed_text=f"{prefix}\n{text}" if prefix else text, kind=kind,
        ))
    return chunks

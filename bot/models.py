"""Dataclasses that cross stage boundaries: ingest -> chunk -> index -> retrieve -> answer."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paragraph:
    """One paragraph (or one table row) of a cleaned document.

    `start`/`end` are offsets into `Document.text`, so `doc.text[start:end] == text`.
    """

    text: str
    start: int
    end: int
    section: tuple[str, ...] = ()
    is_heading: bool = False
    is_table_row: bool = False


@dataclass
class Document:
    """A cleaned report (or one article of a multi-article file) with metadata."""

    id: str  # "<file name>" or "<file name>#<n>"
    file: str  # file name inside the corpus directory
    text: str  # cleaned text in the original characters, used for quoting
    paragraphs: list[Paragraph] = field(default_factory=list)
    title: str = ""
    body: str = ""  # issuing body, e.g. 牡丹江市民政局
    region: str = ""  # place, e.g. 牡丹江市
    level: str = ""  # 省 / 市 / 县 / 区 / 乡镇 ...
    year: int | None = None  # the year the report covers
    published: str | None = None  # ISO date when the text gives one
    kind: str = "annual_report"  # "annual_report" or "other"
    pinyin: str = ""  # pinyin of body and place names, space separated, no tones
    content_hash: str = ""  # sha256 of the cleaned text; drives incremental indexing

    @property
    def stem(self) -> str:
        return self.file.rsplit(".", 1)[0]

    @property
    def sections(self) -> list[str]:
        """Distinct section paths in reading order, joined with ' > '."""
        seen: dict[str, None] = {}
        for p in self.paragraphs:
            if p.section:
                seen.setdefault(" > ".join(p.section), None)
        return list(seen)


@dataclass(frozen=True)
class Chunk:
    """A retrievable unit: a few sentences of one section of one document."""

    id: str  # "<doc id>::<n>"
    doc_id: str
    section: tuple[str, ...]
    text: str  # original characters, for quoting
    start: int  # offsets into Document.text
    end: int
    norm: str  # normalized text (NFKC, simplified, half-width) for lexical search
    embed_text: str  # what the embedder sees: context prefix + text

    @property
    def section_path(self) -> str:
        return " > ".join(self.section)


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float
    dense_rank: int | None = None
    lexical_rank: int | None = None


@dataclass(frozen=True)
class Citation:
    n: int
    source: str  # document id
    title: str
    section: str
    quote: str  # exact slice of Document.text
    start: int
    end: int


@dataclass
class Answer:
    question: str
    answer: str
    found: bool
    citations: list[Citation] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # e.g. "llm_rejected: number not in evidence"

    def to_json(self) -> dict:
        return {
            "question": self.question,
            "answer": self.answer,
            "found": self.found,
            "citations": [c.__dict__ for c in self.citations],
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
            "notes": list(self.notes),
        }

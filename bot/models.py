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
    issuer: str = "government"  # government | court | procuratorate | enterprise | institution (by the body's name)
    pinyin: str = ""  # pinyin of body and place names, space separated, no tones
    content_hash: str = ""  # sha256 of the cleaned text; drives incremental indexing
    url: str = ""  # where the report was published, when known (crawler exports, page metadata)
    sources: dict[str, str] = field(default_factory=dict)  # metadata field -> where it came from (text, heading…)

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
    kind: str = "text"  # "text" (sentences of a section) or "table_row" (one row of a statutory table)

    @property
    def section_path(self) -> str:
        return " > ".join(self.section)


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float


@dataclass(frozen=True)
class Turn:
    """One earlier turn of a conversation: the question asked (and, when known, the answer given)."""

    question: str
    answer: str = ""

    @classmethod
    def parse_history(cls, raw) -> list[Turn]:
        """Earlier turns from any accepted JSON shape: ["q", ...], [{"question": "q"}, ...] or [[q, a], ...].
        Entries of other shapes are ignored: a history never makes a question fail."""
        turns = []
        for item in raw or []:
            if isinstance(item, Turn):
                turns.append(item)
            elif isinstance(item, str):
                turns.append(cls(item))
            elif isinstance(item, dict) and isinstance(item.get("question"), str):
                turns.append(cls(item["question"], item.get("answer") if isinstance(item.get("answer"), str) else ""))
            elif isinstance(item, (list, tuple)) and item and isinstance(item[0], str):
                answer = item[1] if len(item) > 1 and isinstance(item[1], str) else ""
                turns.append(cls(item[0], answer))
        return turns


@dataclass(frozen=True)
class Filters:
    """What the asker restricted the search to (the web page's Year/Body choices, the API's `filters`)."""

    year: int | None = None
    body: str | None = None

    @classmethod
    def parse(cls, raw) -> Filters:
        """From a dict or None; "", "all" and None mean no restriction. Raises ValueError on a bad year."""
        if isinstance(raw, Filters):
            return raw
        raw = raw or {}
        year, body = raw.get("year"), raw.get("body")
        year = None if year in (None, "", "all") else int(year)
        body = None if body in (None, "", "all") else str(body)
        return cls(year, body)

    def __bool__(self) -> bool:
        return self.year is not None or bool(self.body)


@dataclass(frozen=True)
class Citation:
    n: int
    source: str  # document id
    title: str
    section: str
    quote: str  # exact slice of Document.text
    start: int
    end: int


@dataclass(frozen=True)
class Figure:
    """The figure an answer gives, as data: its value as written in the report, unit, what it counts."""

    value: str  # digits as in the report (e.g. "57", "1.5", "2300"); Chinese numerals converted
    unit: str = ""  # 件, 条, 万元, % ... ("" when the report gives none)
    counts: str = ""  # what is counted: the clause's terms or the table row and column
    citation: int = 1  # the citation number that quotes it
    approximate: bool = False  # 余 / 近 / 约 in the report

    @property
    def text(self) -> str:
        return f"{self.value}{self.unit}"


@dataclass
class Answer:
    question: str
    answer: str  # the rendered text (short answer, quote, citations), kept for the `ask --json` contract
    found: bool
    citations: list[Citation] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # e.g. "llm_rejected: number not in evidence"
    figure: Figure | None = None
    short: str = ""  # the short answer alone, without quote and citation lines
    lang: str = "zh"

    def __post_init__(self) -> None:
        if not self.short and not self.found:
            self.short = self.answer  # a "not stated" or scope message is its own short answer

    def to_json(self) -> dict:
        return {
            "question": self.question,
            "answer": self.answer,
            "found": self.found,
            "citations": [c.__dict__ for c in self.citations],
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
            "notes": list(self.notes),
            "short": self.short,
            "figure": None if self.figure is None else {**self.figure.__dict__},
            "lang": self.lang,
        }

"""Facts saved in SQLite beside the index (<index_dir>/facts.sqlite), rebuilt from the index's documents.

Independent of the indexer: `sync(docs)` re-extracts only documents whose content hash is new or changed and drops
documents that are gone, so the file follows whatever generation the index holds."""

from __future__ import annotations

import functools
import hashlib
import sqlite3
import threading
from pathlib import Path

from bot.facts.extract import Fact, extract_facts
from bot.models import Document
from bot.text import normalize

FILE_NAME = "facts.sqlite"
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS docs (doc_id TEXT PRIMARY KEY, content_hash TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS facts (doc_id TEXT, tbl TEXT, row TEXT, row_label TEXT, col TEXT, value REAL, "
    "is_int INTEGER, unit TEXT, start INTEGER, end_ INTEGER, cell_start INTEGER, cell_end INTEGER, "
    "uncertain INTEGER, body TEXT, year INTEGER)",
    "CREATE INDEX IF NOT EXISTS facts_doc ON facts (doc_id)",
)


@functools.lru_cache(maxsize=1)
def extractor_version() -> str:
    """Hash of the fact extractor's code: facts extracted by an older extractor are extracted again."""
    h = hashlib.sha256()
    for p in sorted(Path(__file__).resolve().parent.glob("*.py")):
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


def _row(f: Fact) -> tuple:
    return (f.doc_id, f.table, f.row, f.row_label, f.column, f.value, isinstance(f.value, int), f.unit, f.start,
            f.end, f.cell_start, f.cell_end, int(f.uncertain), f.body, f.year)


def _fact(r: tuple) -> Fact:
    doc_id, table, row, label, col, value, is_int, unit, start, end, cs, ce, unc, body, year = r
    return Fact(doc_id, table, row, label, col, int(value) if is_int else value, unit, start, end, cs, ce,
                bool(unc), body, year)


class FactStore:
    """The facts of a set of documents, kept in one SQLite file and in memory."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._key: dict[str, str] | None = None
        self._facts: list[Fact] = []

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path)
        for stmt in _SCHEMA:
            con.execute(stmt)
        return con

    def sync(self, docs: dict[str, Document]) -> dict:
        """Bring the file up to date with `docs` (doc id -> Document); returns what changed."""
        key = {d.id: f"{d.content_hash}:{extractor_version()}" if d.content_hash else "" for d in docs.values()}
        with self._lock:
            if key == self._key:
                return {"extracted": 0, "removed": 0}
            con = self._connect()
            try:
                with con:
                    stored = dict(con.execute("SELECT doc_id, content_hash FROM docs"))
                    gone = [d for d in stored if d not in key]
                    todo = [d for d, h in key.items() if stored.get(d) != h or not h]
                    for doc_id in gone + todo:
                        con.execute("DELETE FROM facts WHERE doc_id = ?", (doc_id,))
                        con.execute("DELETE FROM docs WHERE doc_id = ?", (doc_id,))
                    for doc_id in todo:
                        rows = [_row(f) for f in extract_facts(docs[doc_id])]
                        con.executemany(f"INSERT INTO facts VALUES ({','.join('?' * 15)})", rows)
                        con.execute("INSERT INTO docs VALUES (?, ?)", (doc_id, key[doc_id]))
                self._facts = [_fact(r) for r in con.execute("SELECT * FROM facts ORDER BY rowid")]
            finally:
                con.close()
            self._key = key
        return {"extracted": len(todo), "removed": len(gone)}

    def all(self) -> list[Fact]:
        return list(self._facts)


def _matches(value: str, wanted: str | None) -> bool:
    return wanted is None or value == wanted or value.startswith(wanted + ".")


def select(facts: list[Fact], body: str | None = None, year: int | None = None, table: str | None = None,
           row: str | None = None, column: str | None = None) -> list[Fact]:
    """Facts filtered: `body` a substring of the issuing body, `row` a canonical row or its parent ("三.（三）"
    takes its sub-rows too), the others exact."""
    body = normalize(body) if body else None
    return [f for f in facts if (body is None or body in normalize(f.body) or body in normalize(f.doc_id))
            and (year is None or f.year == int(year)) and (table is None or f.table == table)
            and _matches(f.row, row) and (column is None or f.column == column)]

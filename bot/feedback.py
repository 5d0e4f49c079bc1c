"""Answer feedback (👍/👎, an optional comment) kept with the question, the answer and its citations in SQLite."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

SCHEMA = """CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, rating INTEGER NOT NULL, comment TEXT NOT NULL,
    question TEXT NOT NULL, answer TEXT NOT NULL, citations TEXT NOT NULL, lang TEXT NOT NULL)"""
FILE_NAME = "feedback.sqlite"


class FeedbackStore:
    """One SQLite file (`<data_dir>/feedback.sqlite`); each call opens its own connection (thread safe)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()

    @classmethod
    def for_data_dir(cls, data_dir: Path) -> FeedbackStore:
        return cls(Path(data_dir) / FILE_NAME)

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path)
        con.execute(SCHEMA)
        return con

    def add(self, rating: int, question: str, answer: str, citations: list[dict], comment: str = "",
            lang: str = "zh") -> int:
        """Store one rating (+1 or -1); returns its id."""
        row = (time.strftime("%Y-%m-%dT%H:%M:%S"), 1 if rating > 0 else -1, comment.strip()[:2000], question,
               answer, json.dumps(citations, ensure_ascii=False), lang)
        with self._lock, self._connect() as con:
            cur = con.execute("INSERT INTO feedback (at, rating, comment, question, answer, citations, lang) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?)", row)
            return int(cur.lastrowid)

    def list(self, limit: int | None = None) -> list[dict]:
        """Newest first."""
        if not self.path.exists():
            return []
        with self._connect() as con:
            con.row_factory = sqlite3.Row
            rows = con.execute("SELECT * FROM feedback ORDER BY id DESC LIMIT ?", (limit or -1,)).fetchall()
        return [{**dict(r), "citations": json.loads(r["citations"])} for r in rows]

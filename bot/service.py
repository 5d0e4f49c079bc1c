"""The running bot: an opened index plus the answerers, shared by the CLI, the HTTP API and the web chat."""

from __future__ import annotations

import re
import shutil
import threading
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

from .config import Config
from .errors import BadQuestionError, IndexMismatchError, IndexMissingError, LLMError, NotFoundError, ReadError
from .models import Answer, Citation, Document
from .query import QueryInfo, analyze, resolve_followup

ANSWER_TOP_K = 8  # chunks the answerer reads; more than the 5 shown by `retrieve`
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SAFE_NAME = re.compile(r"[^\w.\-\u4e00-\u9fff]+")


def clean_question(question: str, max_chars: int) -> str:
    """Strip control characters and surrounding space; refuse empty or over-long questions."""
    if not isinstance(question, str):
        raise BadQuestionError("the question must be text")
    q = _CONTROL.sub(" ", unicodedata.normalize("NFC", question)).strip()
    if not q:
        raise BadQuestionError("the question is empty: type a question about the reports, "
                               "e.g. '牡丹江市民政局2009年受理了多少件依申请公开事项?'")
    if len(q) > max_chars:
        raise BadQuestionError(f"the question has {len(q)} characters; the limit is {max_chars}: "
                               "ask about one figure or fact at a time")
    return q


class Service:
    def __init__(self, cfg: Config, retriever, embedder):
        self.cfg = cfg
        self._retriever = retriever
        self.embedder = embedder
        self._write_lock = threading.Lock()
        self._llm = None

    # ------------------------------------------------------------ opening
    @classmethod
    def open(cls, cfg: Config, build_if_missing: bool = False,
             progress: Callable[[str], None] | None = None) -> "Service":
        from .embed import make_embedder
        from .indexer import build_index
        from .manifest import Manifest
        from .retrieve import Retriever

        embedder = make_embedder(cfg)
        progress = progress or (lambda _: None)
        try:
            Manifest.load(cfg.index_dir)
        except IndexMissingError:
            if not build_if_missing:
                raise
            build_index(cfg, progress, embedder)
        try:
            return cls(cfg, Retriever.open(cfg, embedder), embedder)
        except IndexMismatchError as exc:
            if not build_if_missing:
                raise
            # the server owns its index: rebuild rather than refuse to start
            progress(f"rebuilding: {exc}")
            build_index(cfg, progress, embedder)
            return cls(cfg, Retriever.open(cfg, embedder), embedder)

    @property
    def retriever(self):
        return self._retriever

    # ------------------------------------------------------------ asking
    def _previous_info(self, history) -> QueryInfo | None:
        prev = None
        for turn in history or []:
            q = turn[0] if isinstance(turn, (tuple, list)) else turn.get("question", "")
            if isinstance(q, str) and q.strip():
                prev = resolve_followup(analyze(q, self._retriever.catalog), prev)
        return prev

    def ask(self, question: str, history: list | None = None, filters: dict | None = None,
            use_llm: bool | None = None) -> Answer:
        from .answer import answer as extractive

        t0 = time.perf_counter()
        question = clean_question(question, self.cfg.max_question_chars)
        retriever = self._retriever  # one consistent generation even if an upload swaps it meanwhile
        info = resolve_followup(analyze(question, retriever.catalog), self._previous_info(history))
        t1 = time.perf_counter()
        retrieval = retriever.search(info, max(self.cfg.top_k, ANSWER_TOP_K), _clean_filters(filters))
        t2 = time.perf_counter()
        result = extractive(retrieval, retriever.docs, retriever)
        t3 = time.perf_counter()
        if info.carried:
            result.notes.append("followup:" + ",".join(info.carried))
        if (use_llm if use_llm is not None else self.cfg.llm_enabled) and retrieval.hits:
            result = self._generative(info, retrieval, result)
        result.timings_ms.update({"analyze": (t1 - t0) * 1000, **retrieval.timings_ms,
                                  "retrieve": (t2 - t1) * 1000, "answer": (t3 - t2) * 1000,
                                  "total": (time.perf_counter() - t0) * 1000})
        return result

    def _generative(self, info: QueryInfo, retrieval, fallback: Answer) -> Answer:
        from .llm import Evidence, LLMAnswerer

        if not self.cfg.llm_enabled:
            fallback.notes.append("llm_not_configured: set BOT_LLM_BASE_URL and BOT_LLM_MODEL")
            return fallback
        if self._llm is None:
            self._llm = LLMAnswerer.from_config(self.cfg)
        docs = self._retriever.docs
        evidence = [Evidence(n, h.chunk.doc_id, docs[h.chunk.doc_id].title, h.chunk.section_path, h.chunk.text,
                             h.chunk.start, h.chunk.end) for n, h in enumerate(retrieval.hits[:6], 1)]
        try:
            t = time.perf_counter()
            out = self._llm.answer(info.text, evidence, info.lang)
            fallback.timings_ms["llm"] = (time.perf_counter() - t) * 1000
        except LLMError as exc:
            fallback.notes.append(f"llm_error: {exc}")
            return fallback
        if out.rejected_reason:
            fallback.notes.append(f"llm_rejected: {out.rejected_reason}")
            return fallback
        if not out.found:
            # the extractive answer is verified on its own; keep it (found or not) and say the model declined
            fallback.notes.append("llm_not_found")
            return fallback
        by_n = {e.n: e for e in evidence}
        cites = [Citation(n, by_n[n].source, by_n[n].title, by_n[n].section, by_n[n].text, by_n[n].start,
                          by_n[n].end) for n in out.cited if n in by_n]
        lines = [out.text, ""] + [f"[{c.n}] {c.title} › {c.section} ({c.source})" for c in cites]
        return Answer(info.text, "\n".join(lines), True, cites, notes=fallback.notes + ["llm"])

    # ------------------------------------------------------------ documents
    def documents(self) -> list[Document]:
        return list(self._retriever.docs.values())

    def document(self, doc_id: str) -> Document:
        doc = self._retriever.docs.get(doc_id)
        if doc is None:
            raise NotFoundError(f"no document {doc_id!r}; GET /api/documents or `python -m bot corpus list` "
                                "shows the ids")
        return doc

    def _reopen(self) -> None:
        from .retrieve import Retriever

        self._retriever = Retriever.open(self.cfg, self.embedder)

    def add_file(self, filename: str, data: bytes) -> list[str]:
        """Check the file, put it in the corpus, update the index; on any failure leave both as they were."""
        from .indexer import update_index
        from .ingest import SUPPORTED_SUFFIXES, read_documents

        name = _SAFE_NAME.sub("_", Path(filename or "").name).strip("._")
        suffix = Path(name).suffix.lower()
        if not name or suffix not in SUPPORTED_SUFFIXES:
            raise ReadError(f"file {filename!r} is not a supported report: upload "
                            f"{', '.join(sorted(SUPPORTED_SUFFIXES))}")
        docs = read_documents(Path(name), data)  # raises ReadError before anything is written
        with self._write_lock:
            target = self.cfg.corpus_dir / name
            backup = None
            if target.exists():
                backup = target.with_name(f".{name}.bak")
                shutil.copy2(target, backup)
            tmp = target.with_name(f".{name}.upload")
            tmp.write_bytes(data)
            tmp.replace(target)
            try:
                update_index(self.cfg, embedder=self.embedder)
            except BaseException:
                if backup:
                    backup.replace(target)
                else:
                    target.unlink(missing_ok=True)
                raise
            if backup:
                backup.unlink(missing_ok=True)
            self._reopen()
        return [d.id for d in docs]

    def delete_document(self, doc_id: str) -> list[str]:
        """Remove the file holding doc_id from the corpus (kept under corpus/.deleted/) and from the index."""
        from .indexer import update_index

        with self._write_lock:
            files = self._retriever.data.files
            name = next((f for f, row in files.items() if doc_id in row["docs"]), None)
            if name is None:
                raise NotFoundError(f"no document {doc_id!r} in the index")
            src = self.cfg.corpus_dir / name
            trash = self.cfg.corpus_dir / ".deleted"
            trash.mkdir(exist_ok=True)
            if src.exists():
                src.replace(trash / name)
            try:
                update_index(self.cfg, embedder=self.embedder)
            except BaseException:
                if (trash / name).exists():
                    (trash / name).replace(src)
                raise
            self._reopen()
            return list(files[name]["docs"])

    def status(self) -> dict:
        from .indexer import index_status

        st = index_status(self.cfg, self._retriever.data)
        st["built_at"] = st.get("created_at")
        return st


def _clean_filters(filters: dict | None) -> dict | None:
    if not filters:
        return None
    out = {}
    if filters.get("year") not in (None, "", "all"):
        try:
            out["year"] = int(filters["year"])
        except (TypeError, ValueError) as exc:
            raise BadQuestionError(f"filter year={filters['year']!r} is not a year like 2015") from exc
    if filters.get("body") not in (None, "", "all"):
        out["body"] = str(filters["body"])
    return out or None

"""The bot's one public API: an index (opened or built) plus the answerers. The CLI, the HTTP server, the web
page, eval and the benches all go through `Service`; none of them touches the store or the indexer."""

from __future__ import annotations

import re
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from bot import library
from bot.answer import Evidence, LLMAnswerer
from bot.answer import answer as extractive
from bot.answer.combine import combine
from bot.answer.parts import Operand, Plan, asks_a_stated_total, named_reports, plan
from bot.answer.table import named_row_terms
from bot.config import Config
from bot.embed import make_embedder
from bot.errors import BadQuestionError, IndexMismatchError, IndexMissingError, LLMError, NotFoundError
from bot.facts import Fact, FactStore, Finding, check_facts, select
from bot.facts.cells import OPERATION_WORDS, answer_cell, outside_template, place_words_of
from bot.facts.questions import answer_combined, answer_subtotal, operation
from bot.ingest import load_corpus
from bot.models import Answer, Citation, Document, Filters, Turn
from bot.retrieve import QueryInfo, Retrieval, Retriever, analyze, lexicon, resolve_followup
from bot.store import build_index, index_status, load_index, update_index
from bot.text import scrub

_SHARE_STATED = re.compile(r"占|比例|比重")  # a sentence stating a share: "主动公开的政府信息占98.55%"
ANSWER_TOP_K = 8  # chunks the answerer reads; more than the 5 shown by `retrieve`
HISTORY_TURNS = 6  # earlier turns that can carry a topic, year or place
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
Progress = Callable[[str], None]


def clean_question(question: str, max_chars: int) -> str:
    """Strip control characters, unencodable code points and surrounding space; refuse empty or over-long."""
    if not isinstance(question, str):
        raise BadQuestionError("the question must be text")
    q = _CONTROL.sub(" ", unicodedata.normalize("NFC", scrub(question))).strip()
    if not q:
        raise BadQuestionError("the question is empty: type a question about the reports, "
                               "e.g. '牡丹江市民政局2009年受理了多少件依申请公开事项?'")
    if len(q) > max_chars:
        raise BadQuestionError(f"the question has {len(q)} characters; the limit is {max_chars}: "
                               "ask about one figure or fact at a time")
    return q


def parse_filters(raw) -> Filters:
    try:
        return Filters.parse(raw)
    except (TypeError, ValueError) as exc:
        raise BadQuestionError(f"filter year={raw.get('year')!r} is not a year like 2015") from exc


_ISSUER_WORDS = {"court": ("法院", "a court"), "procuratorate": ("检察院", "a procuratorate"),
                 "enterprise": ("企业", "a company"), "institution": ("事业单位", "a public institution")}


def _note_issuer(ans: Answer, docs: dict[str, Document]) -> None:
    """Say so when a cited report was issued by a court, a company or an institution, not a government body."""
    for c in ans.citations:
        doc = docs.get(c.source)
        if doc is None or doc.issuer == "government" or doc.issuer not in _ISSUER_WORDS:
            continue
        zh, en = _ISSUER_WORDS[doc.issuer]
        ans.notes.append(f"issuer:{doc.issuer}")
        ans.answer += (f"\n\n(Note: {doc.body} is {en}, not a government body.)" if ans.lang == "en"
                       else f"\n\n(注:{doc.body}为{zh},不是行政机关。)")
        return


class Service:
    """`Service.open(cfg)` for a ready index; `Service(cfg)` alone to build one or read a corpus."""

    def __init__(self, cfg: Config, embedder=None):
        self.cfg = cfg
        self.embedder = embedder or make_embedder(cfg)
        self._retriever: Retriever | None = None
        self._write_lock = threading.Lock()
        self._llm: LLMAnswerer | None = None

    # ------------------------------------------------------------ opening and building
    @classmethod
    def open(cls, cfg: Config, build_if_missing: bool = False, progress: Progress | None = None) -> Service:
        """Open the index; with build_if_missing (the server owns its index) build or rebuild it instead of failing."""
        svc = cls(cfg)
        progress = progress or (lambda _: None)
        try:
            svc._reopen()
        except (IndexMissingError, IndexMismatchError) as exc:
            if not build_if_missing:
                raise
            progress(f"building: {exc}")
            svc.build(progress)
        return svc

    def _reopen(self) -> None:
        self._retriever = Retriever(self.cfg, load_index(self.cfg, self.embedder), self.embedder)

    @property
    def retriever(self) -> Retriever:
        if self._retriever is None:
            self._reopen()
        return self._retriever

    def build(self, progress: Progress | None = None) -> dict:
        """Build the index from the corpus from scratch, then answer from it."""
        with self._write_lock:
            report = build_index(self.cfg, self.embedder, progress or (lambda _: None))
            self._reopen()
        return report

    def update(self, progress: Progress | None = None) -> dict:
        """Embed only new or changed reports, drop removed ones, then answer from the new generation."""
        with self._write_lock:
            report = update_index(self.cfg, self.embedder, progress or (lambda _: None))
            self._reopen()
        return report

    @staticmethod
    def warm() -> None:
        """Read what the first English question would otherwise wait for (the dictionary, about a second)."""
        lexicon.warm()

    def status(self) -> dict:
        st = index_status(self.cfg, self.retriever.data)
        st["built_at"] = st.get("created_at")
        return st

    @staticmethod
    def read_corpus(directory: Path) -> tuple[list[Document], list[tuple[Path, str]]]:
        """Documents of the report files in `directory` (no index needed), and the files that failed."""
        return load_corpus(directory)

    # ------------------------------------------------------------ asking
    def previous_info(self, history: list[Turn]) -> QueryInfo | None:
        """The analyzed earlier turns, follow-ups resolved: what a new follow-up may carry."""
        prev = None
        for turn in history[-HISTORY_TURNS:]:
            q = scrub(turn.question)
            if q.strip():
                prev = resolve_followup(analyze(q, self.retriever.catalog), prev)
        return prev

    def analyze(self, question: str, history=None) -> QueryInfo:
        question = clean_question(question, self.cfg.max_question_chars)
        return resolve_followup(analyze(question, self.retriever.catalog),
                                self.previous_info(Turn.parse_history(history)))

    def retrieve(self, question: str, top_k: int | None = None, history=None, filters=None) -> Retrieval:
        """The ranked passages for a question (what `python -m bot retrieve` shows)."""
        retriever = self.retriever  # one generation even if an upload swaps it meanwhile
        info = self.analyze(question, history)
        return retriever.search(info, top_k or self.cfg.top_k, parse_filters(filters))

    def ask(self, question: str, history=None, filters=None, use_llm: bool | None = None) -> Answer:
        """A cited answer. `history`: earlier turns (Turn, strings, dicts or pairs); `filters`: Filters or dict."""
        t0 = time.perf_counter()
        retriever = self.retriever
        info = self.analyze(question, history)
        t1 = time.perf_counter()
        steps = plan(info, retriever.catalog)
        computed = self._combined(info, retriever, steps) or self._by_parts(info, steps, retriever, parse_filters(filters)) \
            or self._table_cell(info, retriever, parse_filters(filters))
        if computed is not None:
            computed.timings_ms["total"] = (time.perf_counter() - t0) * 1000
            return computed
        if steps is None and asks_a_stated_total(info):
            info = replace(info, operand=True)  # one figure: the total the report states
        retrieval = retriever.search(info, max(self.cfg.top_k, ANSWER_TOP_K), parse_filters(filters))
        t2 = time.perf_counter()
        result = extractive(retrieval, retriever.docs, retriever)
        t3 = time.perf_counter()
        if info.carried:
            result.notes.append("followup:" + ",".join(info.carried))
        _note_issuer(result, retriever.docs)
        if (use_llm if use_llm is not None else self.cfg.llm_enabled) and retrieval.hits:
            result = self._generative(info, retrieval, result)
        result.timings_ms.update({"analyze": (t1 - t0) * 1000, **retrieval.timings_ms,
                                  "retrieve": (t2 - t1) * 1000, "answer": (t3 - t2) * 1000,
                                  "total": (time.perf_counter() - t0) * 1000})
        return result

    def _generative(self, info: QueryInfo, retrieval: Retrieval, fallback: Answer) -> Answer:
        if not self.cfg.llm_enabled:
            fallback.notes.append("llm_not_configured: set BOT_LLM_BASE_URL and BOT_LLM_MODEL")
            return fallback
        if self._llm is None:
            self._llm = LLMAnswerer.from_config(self.cfg)
        docs = self.retriever.docs
        evidence = [Evidence(n, h.chunk.doc_id, docs[h.chunk.doc_id].title, h.chunk.section_path, h.chunk.text,
                             h.chunk.start, h.chunk.end) for n, h in enumerate(retrieval.hits[:6], 1)]
        try:
            t = time.perf_counter()
            out = self._llm.answer(info.text, evidence, info.lang)
            fallback.timings_ms["llm"] = (time.perf_counter() - t) * 1000
        except LLMError as exc:
            fallback.notes.append(f"llm_error: {exc}")
            return fallback
        if out.rejected_reason or not out.found:
            # the extractive answer is verified on its own; keep it (found or not) and say why the model's is not
            fallback.notes.append(f"llm_rejected: {out.rejected_reason}" if out.rejected_reason else "llm_not_found")
            return fallback
        by_n = {e.n: e for e in evidence}
        cites = [Citation(n, by_n[n].source, by_n[n].title, by_n[n].section, by_n[n].text, by_n[n].start,
                          by_n[n].end) for n in out.cited if n in by_n]
        lines = [out.text, ""] + [f"[{c.n}] {c.title} › {c.section} ({c.source})" for c in cites]
        return Answer(info.text, "\n".join(lines), True, cites, notes=fallback.notes + ["llm"], short=out.text,
                      lang=info.lang)

    # ------------------------------------------------------------ documents
    def documents(self) -> list[Document]:
        return list(self.retriever.docs.values())

    def document(self, doc_id: str) -> Document:
        doc = self.retriever.docs.get(doc_id)
        if doc is None:
            raise NotFoundError(f"no document {doc_id!r}; GET /api/documents or `python -m bot corpus list` "
                                "shows the ids")
        return doc

    def add_file(self, filename: str, data: bytes, replace: bool = False) -> list[str]:
        """Add a report to the data directory and the index; refused (409) when its id or bytes exist unless
        `replace`, which keeps the old version. On any failure the corpus and the index stay as they were."""
        with self._write_lock:
            ids = library.add(self.cfg, self.retriever.data.files, filename, data, replace,
                              lambda: update_index(self.cfg, self.embedder))
            self._reopen()
        return ids

    def delete_document(self, doc_id: str) -> list[str]:
        """Remove the report holding doc_id from the index; its file is kept (versioned) in the data directory."""
        with self._write_lock:
            removed = library.delete(self.cfg, self.retriever.data.files, doc_id,
                                     lambda: update_index(self.cfg, self.embedder))
            self._reopen()
        return removed

    def reconcile(self) -> dict:
        """Start-up repair after a crash (the server calls it once): temp files of dead writers removed, `.name.old`
        backups restored (write never committed) or moved to the deleted area (it had gone through)."""
        with self._write_lock:
            return library.reconcile(self.cfg, self.retriever.data.files)

    # ------------------------------------------------------------ statutory-table facts (bot/facts)
    def _fact_store(self) -> FactStore:
        store = getattr(self, "_facts", None)
        if store is None:
            store = self._facts = FactStore(Path(self.cfg.index_dir) / "facts.sqlite")
        store.sync(self.retriever.docs)  # re-extracts only documents whose content hash changed
        return store

    def facts(self, body: str | None = None, year: int | None = None, table: str | None = None,
              row: str | None = None, column: str | None = None) -> list[Fact]:
        """Values of the statutory tables (二, 三, 四) of the indexed reports, filtered; built lazily beside the
        index (<index_dir>/facts.sqlite) and kept in step with its documents."""
        return select(self._fact_store().all(), body, year, table, row, column)

    def _all_facts(self, retriever: Retriever) -> list[Fact]:
        """Every fact of this index generation, read once per generation."""
        cached = getattr(self, "_facts_of", None)
        if cached is None or cached[0] is not retriever:
            cached = self._facts_of = (retriever, self._fact_store().all())
        return cached[1]

    def _combined(self, info: QueryInfo, retriever: Retriever, steps: Plan | None) -> Answer | None:
        """A computed answer (sum, difference, share, maximum, trend over table facts), or None."""
        if operation(info.norm) is None or outside_template(info.text, info.norm, info.lang,
                                                            place_words_of(info.norm, retriever.catalog)):
            return None  # it names something the tables do not hold ("全市收办"): answered by parts, or not at all
        # places paired with their own years ("洪泽区2024年和宿迁市2023年"): only those reports
        pairs = [(o.doc_ids, o.year) for o in steps.operands] if steps and all(
            o.doc_ids and o.year for o in steps.operands) else []
        return answer_combined(info.text, info.norm, info.lang, named_reports(info, retriever.catalog),
                               self._all_facts(retriever), retriever.docs, pairs)

    def _by_parts(self, info: QueryInfo, steps: Plan | None, retriever: Retriever, filters: Filters) -> Answer | None:
        """A combined question split into single-figure questions (`steps`, bot/answer/parts.py), each answered
        alone and the result computed from their cited figures; None when it is not such a question or a part has
        no figure."""
        if steps is None:
            return None
        if steps.op == "share" and len({d for o in steps.operands for d in o.doc_ids}) <= 1:
            stated = self._single(info, retriever, filters)  # a report that states the share answers itself
            if stated.found and stated.figure is not None and stated.figure.unit in ("%", "‰") \
                    and _SHARE_STATED.search(stated.citations[0].quote):
                return stated  # (a rate, "办结率100%", is no share of anything)
        answers = [self._single(self._operand_info(info, o, retriever), retriever, filters) for o in steps.operands]
        return combine(info.text, info.lang, steps, answers, retriever.docs)

    @staticmethod
    def _operand_info(info: QueryInfo, operand: Operand, retriever: Retriever) -> QueryInfo:
        sub = analyze(operand.text, retriever.catalog)
        return replace(sub, lang=info.lang, operand=True, year=operand.year or sub.year or info.year,
                       doc_ids=operand.doc_ids or sub.doc_ids or info.doc_ids)

    def _single(self, info: QueryInfo, retriever: Retriever, filters: Filters) -> Answer:
        """One figure of one report: its table cell, else the extractive reader."""
        cell = self._table_cell(info, retriever, filters)
        if cell is not None:
            return cell
        return extractive(retriever.search(info, max(self.cfg.top_k, ANSWER_TOP_K), filters), retriever.docs,
                          retriever)

    def _table_cell(self, info: QueryInfo, retriever: Retriever, filters: Filters) -> Answer | None:
        """A question naming one statutory-table cell of one report, answered by that cell (or None)."""
        scope, note = retriever.scope(info, filters)
        if not scope or (note and not note.startswith("latest_year:")):
            return None
        if operation(info.norm) not in (None, "sum") and not info.operand or info.qtype == "yesno":
            return None  # a share, difference or ranking: never one cell; a yes/no question is the reader's
        named = set(named_reports(info, retriever.catalog))
        scope = [i for i in scope if i in named] or scope  # 淮安市 names the city's reports, not its district's
        facts = self._all_facts(retriever)
        # the place and the issuing body's own words name the report, not a cell ("市政府办公厅")
        words = place_words_of(info.norm, retriever.catalog) | {retriever.docs[i].body for i in scope}
        if info.operand:  # one part of a combined question: the words asking for the arithmetic, and the other
            words |= OPERATION_WORDS | set(retriever.catalog.body_names.values())  # reports named, are leftovers
        cell = answer_cell(info.text, info.norm, info.lang, named_row_terms(info.norm), scope, words, facts,
                           retriever.docs, note)
        return cell or (None if outside_template(info.text, info.norm, info.lang, words)
                        else answer_subtotal(info.text, info.norm, info.lang, scope, facts, retriever.docs))

    def fact_checks(self) -> list[Finding]:
        """Where a report's tables break the template's identities (row totals, sub-rows, 一+二=三（七）+四)."""
        return check_facts(self._fact_store().all())

"""Hybrid retrieval: dense + lexical scores from the store, fused by a min-max normalized convex combination,
scoped by the year and place the question names and by the asker's filters."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from pypinyin import lazy_pinyin

from bot.config import Config
from bot.ingest.metadata import place_matches
from bot.models import Chunk, Document, Filters, Hit
from bot.retrieve.english import content_words, render
from bot.retrieve.query import Catalog, QueryInfo, unglossed
from bot.store import IndexData
from bot.text import normalize

DENSE_SHARE = 0.5  # weight of the min-max normalized cosine against normalized BM25 (bench.bench_index)


def fuse(dense: dict[int, float], lexical: dict[int, float]) -> dict[int, float]:
    """One score per candidate: both retrievers' scores min-max normalized, then mixed."""
    ids = list(dict.fromkeys(list(dense) + list(lexical)))

    def minmax(values: dict[int, float]) -> dict[int, float]:
        vals = [values.get(i, 0.0) for i in ids]
        lo, hi = min(vals, default=0.0), max(vals, default=0.0)
        return {i: (values.get(i, 0.0) - lo) / (hi - lo) if hi > lo else 0.0 for i in ids}

    dn, ln = minmax(dense), minmax(lexical)
    return {i: DENSE_SHARE * dn[i] + (1 - DENSE_SHARE) * ln[i] for i in ids}


def places_in(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The place names a text mentions (normalized cores) and their joined pinyin."""
    cores = frozenset(core for core, _ in place_matches(normalize(text)))
    return cores, frozenset("".join(lazy_pinyin(c)).lower() for c in cores)


def names_place(place: str, places: tuple[frozenset[str], frozenset[str]]) -> bool:
    """Whether `place` (Chinese, or pinyin as an English question writes it) is among `places` (see places_in)."""
    cores, pinyins = places
    key = normalize(place)
    latin = re.sub(r"[^a-z]", "", place.lower())
    return key in cores or any(key in c or c in key for c in cores if len(c) >= 2) or bool(latin and latin in pinyins)


def place_mentions(docs) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Per report, the place names its text mentions (normalized cores) and their joined pinyin."""
    return {d.id: places_in(d.text[:20000]) for d in docs}


@dataclass
class Retrieval:
    info: QueryInfo
    hits: list[Hit]
    scope: list[str]  # doc ids searched
    scope_note: str = ""  # why nothing could match (no report of that place/year), else ""
    timings_ms: dict[str, float] = field(default_factory=dict)
    dense_scores: dict[str, float] = field(default_factory=dict)  # chunk id -> cosine
    lexical_scores: dict[str, float] = field(default_factory=dict)  # chunk id -> BM25
    filters: Filters = field(default_factory=Filters)


class Retriever:
    """One opened index generation; `search` answers an analyzed question with ranked chunks."""

    def __init__(self, cfg: Config, data: IndexData, embedder):
        self.cfg = cfg
        self.data = data
        self.embedder = embedder
        self.docs: dict[str, Document] = data.docs
        self.catalog = Catalog.from_documents(self.docs.values())
        self._chunk_of: dict[int, Chunk] = {int(v): c for v, c in zip(data.vids.tolist(), data.chunks)}
        self._by_doc: dict[str, list[Chunk]] = {}
        for c in data.chunks:
            self._by_doc.setdefault(c.doc_id, []).append(c)
        self._df: dict[str, int] = {}
        self._mentions = place_mentions(self.docs.values())
        self._norm_text: dict[str, str] = {}

    def docs_mentioning(self, place: str) -> list[str]:
        """Reports whose text names `place` (Chinese, or its pinyin as an English question writes it), whatever
        their metadata says: absence is never claimed from metadata alone."""
        return [d for d, places in self._mentions.items() if names_place(place, places) or self._says(d, place)]

    def _says(self, doc_id: str, place: str) -> bool:
        """Whether the report's text says a Chinese place name literally where it has no place suffix to be
        found by (和谐海陵 for 海陵); its normalized text is read only on this rare path, once per report."""
        key = normalize(place)
        if len(key) < 2 or not re.fullmatch(r"[\u4e00-\u9fff]+", key):
            return False
        if doc_id not in self._norm_text:
            self._norm_text[doc_id] = normalize(self.docs[doc_id].text)
        return key in self._norm_text[doc_id]

    # ------------------------------------------------------------ scope
    def scope(self, info: QueryInfo, filters: Filters = Filters()) -> tuple[list[str], str]:
        """Doc ids the question is about, and a note when the question names a place/year nobody covers, or
        "mentioned:<place>" when only the text of these reports names the place (another body's report: its
        tables are not about that place, and only its sentences naming the place can answer)."""
        ids, note = self._scope(info, filters)
        # a report whose metadata names no place (民政局) may be the place's own: no restriction then
        if ids and info.unknown_place and not info.doc_ids and all(self.docs[i].region for i in ids):
            note = f"mentioned:{info.unknown_place}"
        return ids, note

    def _scope(self, info: QueryInfo, filters: Filters) -> tuple[list[str], str]:
        docs = self.docs
        ids = [i for i in docs if (filters.year is None or docs[i].year == filters.year)
               and (not filters.body or filters.body in (docs[i].body, docs[i].region))]
        place = [i for i in ids if i in info.doc_ids] if info.doc_ids else None
        if info.unknown_place and not info.doc_ids:
            mentioned = [i for i in self.docs_mentioning(info.unknown_place) if i in ids]
            if not mentioned:
                return [], f"unknown_place:{info.unknown_place}"
            place = mentioned  # the metadata missed it, the text names it: answer from those reports
        if place is not None and info.year:
            # a report whose year is unknown (an undated article) may be of the asked year, when its text names it
            both = [i for i in place if docs[i].year == info.year] or \
                [i for i in place if docs[i].year is None and f"{info.year}年" in docs[i].text]
            if both:
                return both, ""
            return (place, "") if "year" in info.carried else ([], "no_year_for_place")
        if place is not None:
            years = sorted({docs[i].year for i in place if docs[i].year})
            if len(years) > 1 and filters.year is None:
                # no year asked of a body with several reports: the latest one, and say so
                latest = [i for i in place if docs[i].year == years[-1]]
                return latest, f"latest_year:{years[-1]}:{','.join(map(str, years[:-1]))}"
            return place, ("" if place else "no_doc_for_filters")
        if info.year:
            same_year = [i for i in ids if docs[i].year == info.year]
            return same_year, ("" if same_year else "no_year")
        return ids, ("" if ids else "no_doc_for_filters")

    # ------------------------------------------------------------ search
    def search(self, info: QueryInfo, top_k: int | None = None, filters: Filters = Filters()) -> Retrieval:
        top_k = top_k or self.cfg.top_k
        timings: dict[str, float] = {}
        scope, note = self.scope(info, filters)
        if not scope:
            return Retrieval(info, [], scope, note, timings, filters=filters)
        restrict = None if len(scope) == len(self.docs) else scope
        n_cand = self.cfg.candidates

        t = time.perf_counter()
        qvec = self.embedder.embed_query(info.embed_query)
        timings["embed_query"] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        dense = self.data.store.dense(qvec, n_cand, restrict)
        timings["dense"] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        text = self._lexical_text(info)
        lexical = self.data.store.lexical(self.data.segmenter.tokenize(text), text, n_cand, restrict)
        timings["lexical"] = (time.perf_counter() - t) * 1000
        missing = [v for v in lexical if v not in dense]
        if missing:  # lexical-only candidates still get their true cosine, read back from the store
            dense.update({v: float(vec @ qvec) for v, vec in zip(missing, self.data.store.vectors(missing))})
        if not dense and not lexical:
            return Retrieval(info, [], scope, "no_chunks", timings, filters=filters)
        fused = fuse(dense, lexical)
        best = sorted(fused, key=lambda v: -fused[v])[:top_k]
        hits = [Hit(self._chunk_of[v], fused[v]) for v in best]
        return Retrieval(info, hits, scope, note, timings,
                         dense_scores={self._chunk_of[v].id: dense.get(v, 0.0) for v in best},
                         lexical_scores={self._chunk_of[v].id: lexical.get(v, 0.0) for v in best}, filters=filters)

    def _lexical_text(self, info: QueryInfo) -> str:
        """What the lexical search looks for. An English question adds the dictionary's renderings of its words
        that the reports use ("medical" -> 医疗), and drops the pinyin of the places that chose the scope: within
        it they match only site chrome ("xianning" of a page's address)."""
        if info.lang != "en":
            return info.search_text
        skip = frozenset(self.catalog.pinyin.values())
        rendered = render(content_words(unglossed(info.norm), skip), lambda t: self.term_df(t) > 0)
        text = info.search_text + " " + " ".join(t for alts, _ in rendered.groups for t in alts)
        named = {self.catalog.pinyin.get(core, "") for d in info.doc_ids for core in self.catalog.regions.get(d, ())}
        return " ".join(w for w in text.split() if re.sub(r"'s\b|[^a-z]", "", w.lower()) not in named)

    def chunks_of(self, doc_ids: list[str]) -> list[Chunk]:
        """Every chunk of these reports, report by report in reading order."""
        return [c for d in dict.fromkeys(doc_ids) for c in self._by_doc.get(d, ())]

    def term_df(self, term: str) -> int:
        """How many chunks contain `term` (substring of the normalized text); cached per term."""
        cached = self._df.get(term)
        if cached is None:
            cached = self._df[term] = sum(1 for c in self.data.chunks if term in c.norm)
        return cached

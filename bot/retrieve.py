"""Hybrid retrieval: dense (FAISS) + lexical (BM25) fused by reciprocal rank, scoped by year and place."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from .config import Config
from .models import Document, Hit
from .query import Catalog, QueryInfo, analyze

RRF_K = 60
FUSION = "convex"  # or "rrf"; bench.bench_index reports recall for both
DENSE_SHARE = 0.5  # convex fusion: weight of the min-max normalized cosine against normalized BM25


def fuse(rows: list[int], dense: dict[int, float], lexical: dict[int, float], d_rank: dict[int, int],
         l_rank: dict[int, int], method: str) -> dict[int, float]:
    """Combine the two retrievers' candidates into one score per row."""
    if method == "rrf":
        return {r: (1 / (RRF_K + d_rank[r] + 1) if r in d_rank else 0.0)
                + (1 / (RRF_K + l_rank[r] + 1) if r in l_rank else 0.0) for r in rows}

    def minmax(values: dict[int, float]) -> dict[int, float]:
        lo, hi = min(values.values()), max(values.values())
        return {r: (v - lo) / (hi - lo) if hi > lo else 0.0 for r, v in values.items()}

    dn, ln = minmax({r: dense[r] for r in rows}), minmax({r: lexical[r] for r in rows})
    return {r: DENSE_SHARE * dn[r] + (1 - DENSE_SHARE) * ln[r] for r in rows}


@dataclass
class Retrieval:
    info: QueryInfo
    hits: list[Hit]
    scope: list[str]  # doc ids searched
    scope_note: str = ""  # why nothing could match (no report of that place/year), else ""
    timings_ms: dict[str, float] = field(default_factory=dict)
    dense_scores: dict[str, float] = field(default_factory=dict)  # chunk id -> cosine
    lexical_scores: dict[str, float] = field(default_factory=dict)  # chunk id -> BM25


class Retriever:
    """Loads one index generation; `run` answers a question with ranked chunks."""

    def __init__(self, cfg: Config, data, embedder):
        from .lexical import LexicalIndex, add_user_words

        self.cfg = cfg
        self.data = data
        self.embedder = embedder
        self.docs: dict[str, Document] = data.docs
        self.catalog = Catalog.from_documents(self.docs.values())
        add_user_words({d.region for d in self.docs.values()} | {d.body for d in self.docs.values()})
        self.lexical = LexicalIndex(data.tokens)
        self._row_of_vid = {int(v): i for i, v in enumerate(data.vids.tolist())}
        self._rows_of_doc: dict[str, np.ndarray] = {}
        for i, c in enumerate(data.chunks):
            self._rows_of_doc.setdefault(c.doc_id, []).append(i)
        self._rows_of_doc = {k: np.asarray(v, dtype=np.int64) for k, v in self._rows_of_doc.items()}
        self._df: dict[str, int] = {}

    @classmethod
    def open(cls, cfg: Config, embedder=None) -> "Retriever":
        from .embed import make_embedder
        from .indexer import load_index

        embedder = embedder or make_embedder(cfg)
        return cls(cfg, load_index(cfg, embedder), embedder)

    # ------------------------------------------------------------ scope
    def scope(self, info: QueryInfo, filters: dict | None = None) -> tuple[list[str], str]:
        """Doc ids the question is about, and a note when the question names a place/year nobody covers."""
        docs = self.docs
        ids = list(docs)
        filters = filters or {}
        if filters.get("year"):
            ids = [i for i in ids if docs[i].year == int(filters["year"])]
        if filters.get("body"):
            ids = [i for i in ids if filters["body"] in (docs[i].body, docs[i].region)]
        place = [i for i in ids if i in info.doc_ids] if info.doc_ids else None
        if info.unknown_place and not info.doc_ids:
            return [], f"unknown_place:{info.unknown_place}"
        if place is not None and info.year:
            both = [i for i in place if docs[i].year == info.year]
            if both:
                return both, ""
            if "year" in info.carried:
                return place, ""
            return [], "no_year_for_place"
        if place is not None:
            years = sorted({docs[i].year for i in place if docs[i].year})
            if len(years) > 1 and not filters.get("year"):
                # no year asked of a body with several reports: the latest one, and say so
                latest = [i for i in place if docs[i].year == years[-1]]
                return latest, f"latest_year:{years[-1]}:{','.join(map(str, years[:-1]))}"
            return place, ("" if place else "no_doc_for_filters")
        if info.year:
            same_year = [i for i in ids if docs[i].year == info.year]
            return same_year, ("" if same_year else "no_year")
        return ids, ("" if ids else "no_doc_for_filters")

    # ------------------------------------------------------------ search
    def search(self, info: QueryInfo, top_k: int | None = None, filters: dict | None = None) -> Retrieval:
        from .lexical import tokenize

        top_k = top_k or self.cfg.top_k
        timings: dict[str, float] = {}
        scope, note = self.scope(info, filters)
        if not scope:
            return Retrieval(info, [], scope, note, timings)
        rows = np.concatenate([self._rows_of_doc[d] for d in scope if d in self._rows_of_doc] or
                              [np.zeros(0, dtype=np.int64)])
        if rows.size == 0:
            return Retrieval(info, [], scope, "no_chunks", timings)
        n_cand = min(self.cfg.candidates, rows.size)

        t = time.perf_counter()
        qvec = self.embedder.embed_query(info.embed_query)
        timings["embed_query"] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        allowed = None if rows.size == len(self.data.chunks) else self.data.vids[rows]
        scores, vids = self.data.store.search(qvec, n_cand, allowed_ids=allowed)
        dense_rows = [self._row_of_vid[int(v)] for v in vids]
        dense_score = {r: float(s) for r, s in zip(dense_rows, scores)}
        timings["dense"] = (time.perf_counter() - t) * 1000

        t = time.perf_counter()
        lex = self.lexical.scores(tokenize(info.search_text))
        sub = lex[rows]
        order = np.argsort(-sub, kind="stable")[:n_cand]
        lexical_rows = [int(rows[i]) for i in order if sub[i] > 0]
        timings["lexical"] = (time.perf_counter() - t) * 1000

        d_rank = {r: k for k, r in enumerate(dense_rows)}
        l_rank = {r: k for k, r in enumerate(lexical_rows)}
        union = list(dict.fromkeys(dense_rows + lexical_rows))
        missing = [r for r in union if r not in dense_score]
        if missing:  # lexical-only candidates still get their true cosine, read back from FAISS
            vecs = self.data.store.reconstruct(self.data.vids[missing])
            dense_score.update({r: float(v @ qvec) for r, v in zip(missing, vecs)})
        fused = fuse(union, dense_score, {r: float(lex[r]) for r in union}, d_rank, l_rank, FUSION)
        best = sorted(fused, key=lambda r: -fused[r])[:top_k]
        hits = [Hit(self.data.chunks[r], fused[r], d_rank.get(r), l_rank.get(r)) for r in best]
        return Retrieval(info, hits, scope, note, timings,
                         dense_scores={self.data.chunks[r].id: dense_score.get(r, 0.0) for r in best},
                         lexical_scores={self.data.chunks[r].id: float(lex[r]) for r in best})

    def term_df(self, term: str) -> int:
        """How many chunks contain `term` (substring of the normalized text); cached per term."""
        cached = self._df.get(term)
        if cached is None:
            cached = self._df[term] = sum(1 for c in self.data.chunks if term in c.norm)
        return cached

    def run(self, question: str, top_k: int | None = None, filters: dict | None = None) -> list[Hit]:
        return self.search(analyze(question, self.catalog), top_k, filters).hits

    def as_llama_retriever(self):
        """This retriever behind llama-index's BaseRetriever interface (NodeWithScore with metadata)."""
        from llama_index.core.retrievers import BaseRetriever
        from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

        outer = self

        class _LlamaRetriever(BaseRetriever):
            def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
                out = []
                for h in outer.run(query_bundle.query_str):
                    doc = outer.docs[h.chunk.doc_id]
                    node = TextNode(id_=h.chunk.id, text=h.chunk.text, metadata={
                        "source": doc.id, "title": doc.title, "body": doc.body, "year": doc.year,
                        "section": h.chunk.section_path, "start": h.chunk.start, "end": h.chunk.end})
                    out.append(NodeWithScore(node=node, score=h.score))
                return out

        return _LlamaRetriever()

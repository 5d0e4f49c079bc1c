"""The default backend: vectors in a FAISS index, BM25 over jieba tokens, both in this process.

Sized for a million chunks on one machine: the vector index turns approximate above its threshold
(bot.store.vectors), filters look up the chunks of the wanted documents instead of scanning every chunk, and
lexical top-k looks only at the chunks that share a token with the query (bench.bench_scale measures it)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bot.models import Chunk
from bot.store.lexical import LexicalIndex
from bot.store.vectors import VectorStore


def vectors_path(index_dir: Path, generation: int) -> Path:
    return Path(index_dir) / f"vectors-{generation}.faiss"


class FaissStore:
    """FAISS (removable ids; exact, or inverted lists when large) + BM25, rebuilt lazily after a change."""

    name = "faiss"

    def __init__(self, vectors: VectorStore, chunks: Sequence[Chunk] = (), vids: np.ndarray | None = None,
                 tokens: Sequence[list[str]] = ()):
        self._vectors = vectors
        self._doc_of: dict[int, str] = {}
        self._by_doc: dict[str, set[int]] = {}
        self._tokens: dict[int, list[str]] = {}
        self._lexical: tuple[LexicalIndex, np.ndarray, np.ndarray] | None = None
        self._remember(chunks, np.zeros(0, np.int64) if vids is None else vids, tokens)

    @classmethod
    def create(cls, dim: int) -> FaissStore:
        return cls(VectorStore(dim))

    @classmethod
    def load(cls, index_dir: Path, generation: int, chunks: Sequence[Chunk], vids: np.ndarray,
             tokens: Sequence[list[str]]) -> FaissStore:
        return cls(VectorStore.load(vectors_path(index_dir, generation)), chunks, vids, tokens)

    def _remember(self, chunks: Sequence[Chunk], vids: np.ndarray, tokens: Sequence[list[str]]) -> None:
        for c, v, t in zip(chunks, vids.tolist(), tokens):
            old = self._doc_of.get(v)
            if old is not None and old != c.doc_id:
                self._by_doc[old].discard(v)
            self._doc_of[v] = c.doc_id
            self._by_doc.setdefault(c.doc_id, set()).add(v)
            self._tokens[v] = t
        self._lexical = None

    def __len__(self) -> int:
        return len(self._vectors)

    def add(self, chunks, vids, vectors, tokens) -> None:
        self._vectors.add(vids, vectors)
        self._remember(chunks, np.asarray(vids, dtype=np.int64), tokens)

    def remove(self, vids: np.ndarray) -> None:
        self._vectors.remove(vids)
        for v in np.asarray(vids, dtype=np.int64).tolist():
            doc = self._doc_of.pop(v, None)
            if doc is not None:
                self._by_doc[doc].discard(v)
                if not self._by_doc[doc]:
                    del self._by_doc[doc]
            self._tokens.pop(v, None)
        self._lexical = None

    def set_tokens(self, vids: np.ndarray, tokens) -> None:
        for v, t in zip(np.asarray(vids, dtype=np.int64).tolist(), tokens):
            if v in self._tokens:
                self._tokens[v] = t
        self._lexical = None

    def _allowed(self, doc_ids: Sequence[str] | None) -> np.ndarray | None:
        if doc_ids is None:
            return None
        return np.fromiter((v for d in set(doc_ids) for v in self._by_doc.get(d, ())), dtype=np.int64)

    def dense(self, query, k, doc_ids=None) -> dict[int, float]:
        scores, vids = self._vectors.search(query, k, allowed_ids=self._allowed(doc_ids))
        return {int(v): float(s) for v, s in zip(vids, scores)}

    def _lexical_index(self) -> tuple[LexicalIndex, np.ndarray, np.ndarray]:
        """The BM25 index, its chunk ids by row, and the rows sorted by chunk id (to find a filter's rows)."""
        if self._lexical is None:
            order = np.fromiter(self._tokens, dtype=np.int64, count=len(self._tokens))
            self._lexical = (LexicalIndex([self._tokens[v] for v in order.tolist()]), order,
                             np.argsort(order, kind="stable"))
        return self._lexical

    def lexical(self, tokens, text, k, doc_ids=None) -> dict[int, float]:
        index, order, by_id = self._lexical_index()
        scores = index.scores(tokens)
        if doc_ids is None:
            rows = scores
        else:  # only the rows of the wanted documents, found by chunk id
            allowed = self._allowed(doc_ids)
            rows = np.sort(by_id[np.searchsorted(order, allowed, sorter=by_id)]) if len(allowed) else allowed
        values = scores if doc_ids is None else scores[rows]
        if k <= 0 or not len(values):
            return {}
        kth = np.partition(values, len(values) - k)[len(values) - k] if len(values) > k else values.min()
        keep = np.flatnonzero((values >= kth) & (values > 0))  # the k best and everything tied with the k-th
        if doc_ids is not None:
            keep = rows[keep]
        keep = keep[np.argsort(-scores[keep], kind="stable")][:k]  # ties in row order, as a full sort gives
        return {int(order[i]): float(scores[i]) for i in keep}

    def vectors(self, vids: np.ndarray) -> np.ndarray:
        return self._vectors.reconstruct(np.asarray(vids, dtype=np.int64))

    def save(self, index_dir: Path, generation: int) -> None:
        self._vectors.save(vectors_path(index_dir, generation))

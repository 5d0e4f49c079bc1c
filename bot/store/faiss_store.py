"""The default backend: vectors in a FAISS index, BM25 over jieba tokens, both in this process."""

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
    """FAISS (exact inner product, removable ids) + BM25; the BM25 index is rebuilt lazily after a change."""

    name = "faiss"

    def __init__(self, vectors: VectorStore, chunks: Sequence[Chunk] = (), vids: np.ndarray | None = None,
                 tokens: Sequence[list[str]] = ()):
        self._vectors = vectors
        self._doc_of: dict[int, str] = {}
        self._tokens: dict[int, list[str]] = {}
        self._lexical: tuple[LexicalIndex, np.ndarray] | None = None
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
            self._doc_of[int(v)] = c.doc_id
            self._tokens[int(v)] = t
        self._lexical = None

    def __len__(self) -> int:
        return len(self._vectors)

    def add(self, chunks, vids, vectors, tokens) -> None:
        self._vectors.add(vids, vectors)
        self._remember(chunks, np.asarray(vids, dtype=np.int64), tokens)

    def remove(self, vids: np.ndarray) -> None:
        self._vectors.remove(vids)
        for v in np.asarray(vids, dtype=np.int64).tolist():
            self._doc_of.pop(v, None)
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
        wanted = set(doc_ids)
        return np.asarray([v for v, d in self._doc_of.items() if d in wanted], dtype=np.int64)

    def dense(self, query, k, doc_ids=None) -> dict[int, float]:
        scores, vids = self._vectors.search(query, k, allowed_ids=self._allowed(doc_ids))
        return {int(v): float(s) for v, s in zip(vids, scores)}

    def lexical(self, tokens, text, k, doc_ids=None) -> dict[int, float]:
        if self._lexical is None:
            order = np.asarray(list(self._tokens), dtype=np.int64)
            self._lexical = (LexicalIndex([self._tokens[int(v)] for v in order]), order)
        index, order = self._lexical
        scores = index.scores(tokens)
        if doc_ids is not None:
            wanted = set(doc_ids)
            mask = np.fromiter((self._doc_of[int(v)] in wanted for v in order), dtype=bool, count=len(order))
            scores = np.where(mask, scores, 0.0)
        best = np.argsort(-scores, kind="stable")[:k]
        return {int(order[i]): float(scores[i]) for i in best if scores[i] > 0}

    def vectors(self, vids: np.ndarray) -> np.ndarray:
        return self._vectors.reconstruct(np.asarray(vids, dtype=np.int64))

    def save(self, index_dir: Path, generation: int) -> None:
        self._vectors.save(vectors_path(index_dir, generation))

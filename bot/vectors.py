"""FAISS vector store with stable int64 ids, removal by id, subset search and crash-safe saves.

llama-index's FAISS vector store cannot delete vectors, which incremental updates need; hence this file.
"""

from __future__ import annotations

import os
from pathlib import Path

import faiss
import numpy as np

# Exact inner-product search is memory-bound; a second thread adds more overhead than it saves
# for single queries on this 2-core machine (bench.bench_vectors measures it).
faiss.omp_set_num_threads(1)


class VectorStore:
    def __init__(self, dim: int, index=None) -> None:
        self.dim = int(dim)
        self._index = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(self.dim))

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(ids), self.dim)
        if len(ids):
            self._index.add_with_ids(vectors, ids)

    def remove(self, ids: np.ndarray) -> int:
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        if not len(ids):
            return 0
        return int(self._index.remove_ids(faiss.IDSelectorBatch(ids)))

    def ids(self) -> np.ndarray:
        return faiss.vector_to_array(self._index.id_map).astype(np.int64)

    def reconstruct(self, ids: np.ndarray) -> np.ndarray:
        return np.vstack([self._index.reconstruct(int(i)) for i in ids]) if len(ids) else np.zeros((0, self.dim))

    def search(self, query: np.ndarray, k: int, allowed_ids: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        scores, ids = self.search_batch(np.asarray(query, dtype=np.float32).reshape(1, -1), k, allowed_ids)
        return scores[0], ids[0]

    def search_batch(self, queries: np.ndarray, k: int, allowed_ids: np.ndarray | None = None):
        """Top-k by inner product (cosine on normalized vectors); never returns the -1 padding ids."""
        queries = np.ascontiguousarray(queries, dtype=np.float32).reshape(-1, self.dim)
        k = min(int(k), len(self) if allowed_ids is None else min(len(self), len(allowed_ids)))
        if k <= 0:
            return [np.zeros(0, np.float32)] * len(queries), [np.zeros(0, np.int64)] * len(queries)
        params = None
        if allowed_ids is not None:
            selector = faiss.IDSelectorBatch(np.ascontiguousarray(allowed_ids, dtype=np.int64))
            params = faiss.SearchParameters(sel=selector)
        scores, ids = self._index.search(queries, k, params=params)
        out_s, out_i = [], []
        for s, i in zip(scores, ids):
            keep = i >= 0
            out_s.append(s[keep])
            out_i.append(i[keep])
        return out_s, out_i

    def save(self, path: Path) -> None:
        """Write to a temporary file, fsync, then rename: a crash never leaves a half-written index."""
        path = Path(path)
        tmp = path.with_name(path.name + f".tmp-{os.getpid()}")
        try:
            faiss.write_index(self._index, str(tmp))
            with open(tmp, "rb") as f:
                os.fsync(f.fileno())
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)

    @classmethod
    def load(cls, path: Path) -> "VectorStore":
        index = faiss.read_index(str(path))
        return cls(index.d, index)

"""FAISS vector store with stable int64 ids, removal by id, subset search and crash-safe saves.

llama-index's FAISS vector store cannot delete vectors, which incremental updates need; hence this file.

Below `HNSW_THRESHOLD` vectors every search is exact (IndexIDMap2 over IndexFlatIP). Above it an HNSW graph
(IndexIDMap over IndexHNSWFlat) answers unfiltered and broadly filtered searches; the exact index stays the
record of ids and vectors (reconstruct, removal, narrow filters). HNSW cannot remove: removed ids are
tombstones excluded by a selector, and the graph is rebuilt on save once they pass `REBUILD_SHARE`.
"""

from __future__ import annotations

import os
from pathlib import Path

import faiss
import numpy as np

from bot.files import atomic_write

# Exact inner-product search is memory-bound; a second thread adds more overhead than it saves
# for single queries on this 2-core machine (bench.bench_vectors measures it).
faiss.omp_set_num_threads(1)

HNSW_THRESHOLD = 200_000  # vectors; exact search costs ~12 ms per query at 100k on one core (bench.bench_scale)
HNSW_M, HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH = 32, 80, 128  # recall@10 >= 0.98 (bench.bench_scale)
REBUILD_SHARE = 0.2  # rebuild the graph when this share of its entries are removed ids
NARROW_SHARE = 0.2  # a filter keeping at most this share of the vectors is searched exactly


def hnsw_path(path: Path) -> Path:
    """The graph beside the exact index: vectors-<gen>.hnsw (same generation, cleaned up with it)."""
    return Path(path).with_suffix(".hnsw")


class VectorStore:
    def __init__(self, dim: int, index=None, hnsw=None, threshold: int | None = None) -> None:
        self.dim = int(dim)
        self._index = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(self.dim))
        self.threshold = HNSW_THRESHOLD if threshold is None else int(threshold)
        self._hnsw = hnsw  # IndexIDMap(IndexHNSWFlat) or None
        self._removed: set[int] = set()  # ids in the graph that are no longer stored
        if hnsw is not None:
            graph_ids = faiss.vector_to_array(hnsw.id_map).astype(np.int64)
            self._removed = set(np.setdiff1d(graph_ids, self.ids(), assume_unique=True).tolist())
            missing = np.setdiff1d(self.ids(), graph_ids, assume_unique=True)
            if len(missing):  # the graph lags the exact index (should not happen): complete it
                self._hnsw.add_with_ids(self.reconstruct(missing).astype(np.float32), missing)

    @property
    def approximate(self) -> bool:
        return self._hnsw is not None

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(ids), self.dim)
        if not len(ids):
            return
        self._index.add_with_ids(vectors, ids)
        if self._hnsw is not None:
            if self._removed.intersection(ids.tolist()):  # a re-added id would sit twice in the graph
                self._build_hnsw()
            else:
                self._hnsw.add_with_ids(vectors, ids)
        elif len(self) >= self.threshold:
            self._build_hnsw()

    def remove(self, ids: np.ndarray) -> int:
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        if not len(ids):
            return 0
        n = int(self._index.remove_ids(faiss.IDSelectorBatch(ids)))
        if self._hnsw is not None:
            self._removed.update(ids.tolist())
        return n

    def _build_hnsw(self) -> None:
        """(Re)build the graph from the exact index; below the threshold, drop it."""
        self._removed = set()
        if len(self) < self.threshold:
            self._hnsw = None
            return
        graph = faiss.IndexHNSWFlat(self.dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        graph.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        graph.hnsw.efSearch = HNSW_EF_SEARCH
        hnsw = faiss.IndexIDMap(graph)
        flat = faiss.downcast_index(self._index.index)
        xb = faiss.rev_swig_ptr(flat.get_xb(), len(self) * self.dim).reshape(len(self), self.dim)
        threads = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(max(1, os.cpu_count() or 1))  # building is parallel
        try:
            hnsw.add_with_ids(np.ascontiguousarray(xb), self.ids())
        finally:
            faiss.omp_set_num_threads(threads)
        self._hnsw = hnsw

    def ids(self) -> np.ndarray:
        return faiss.vector_to_array(self._index.id_map).astype(np.int64)

    def reconstruct(self, ids: np.ndarray) -> np.ndarray:
        return np.vstack([self._index.reconstruct(int(i)) for i in ids]) if len(ids) else np.zeros((0, self.dim))

    def search(self, query: np.ndarray, k: int, allowed_ids: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        scores, ids = self.search_batch(np.asarray(query, dtype=np.float32).reshape(1, -1), k, allowed_ids)
        return scores[0], ids[0]

    def search_batch(self, queries: np.ndarray, k: int, allowed_ids: np.ndarray | None = None, exact: bool = False):
        """Top-k by inner product (cosine on normalized vectors); never returns the -1 padding ids.

        Exact below the threshold, for narrow filters and with exact=True; HNSW otherwise."""
        queries = np.ascontiguousarray(queries, dtype=np.float32).reshape(-1, self.dim)
        k = min(int(k), len(self) if allowed_ids is None else min(len(self), len(allowed_ids)))
        if k <= 0:
            return [np.zeros(0, np.float32)] * len(queries), [np.zeros(0, np.int64)] * len(queries)
        index, params = self._index, None
        selector = None
        if allowed_ids is not None:
            selector = faiss.IDSelectorBatch(np.ascontiguousarray(allowed_ids, dtype=np.int64))
        use_graph = self._hnsw is not None and not exact and (
            allowed_ids is None or len(allowed_ids) > NARROW_SHARE * len(self))
        if use_graph:
            index = self._hnsw
            if selector is None and self._removed:
                selector = faiss.IDSelectorNot(faiss.IDSelectorBatch(np.fromiter(self._removed, np.int64)))
            params = faiss.SearchParametersHNSW(sel=selector, efSearch=max(HNSW_EF_SEARCH, k))
        elif selector is not None:
            params = faiss.SearchParameters(sel=selector)
        scores, ids = index.search(queries, k, params=params)
        out_s, out_i = [], []
        for s, i in zip(scores, ids):
            keep = i >= 0
            out_s.append(s[keep])
            out_i.append(i[keep])
        return out_s, out_i

    def save(self, path: Path) -> None:
        """Serialize, then write crash-safely (temp file, fsync, rename, fsync of the directory).

        The graph, when there is one, is written first (rebuilt when too many of its entries were removed)."""
        if self._hnsw is not None and len(self._removed) > REBUILD_SHARE * self._hnsw.ntotal:
            self._build_hnsw()
        if self._hnsw is not None:
            atomic_write(hnsw_path(path), faiss.serialize_index(self._hnsw).tobytes())
        atomic_write(Path(path), faiss.serialize_index(self._index).tobytes())

    @classmethod
    def load(cls, path: Path, threshold: int | None = None) -> VectorStore:
        index = faiss.read_index(str(path))
        graph = hnsw_path(path)
        hnsw = faiss.read_index(str(graph)) if graph.exists() else None
        store = cls(index.d, index, hnsw, threshold)
        if store._hnsw is None and len(store) >= store.threshold:
            store._build_hnsw()
        return store

"""FAISS vector store with stable int64 ids, removal by id, subset search and crash-safe saves.

llama-index's FAISS vector store cannot delete vectors, which incremental updates need; hence this file.

Below `APPROX_THRESHOLD` vectors the index is exact (IndexIDMap2 over IndexFlatIP). From that size on it is an
inverted file (IndexIVFFlat, inner product, ~2·√n lists, `NPROBE` lists searched; a hashtable direct map keeps
reconstruct and removal by id), chosen automatically: the same vectors once, no second copy. Unlike an HNSW
graph it removes ids for real and adds at the cost of one assignment, and it builds in minutes at a million
(k-means on a sample). A narrow filter is searched exactly over copies of its vectors, a broad one probes more
lists the fewer vectors it keeps; `exact=True` probes every list. The lists are retrained on save when the store has grown or shrunk far from the size they were made for.
"""

from __future__ import annotations

import math
import os
from contextlib import contextmanager
from pathlib import Path

import faiss
import numpy as np

from bot.files import atomic_write

# Exact inner-product search is memory-bound; a second thread adds more overhead than it saves
# for single queries on this 2-core machine (bench.bench_vectors measures it).
faiss.omp_set_num_threads(1)

APPROX_THRESHOLD = 200_000  # vectors; exact search costs ~12 ms per query at 100k on one core (bench.bench_scale)
NPROBE = 128  # lists searched per query: recall@10 0.99 against exact at 1M (96: 0.984, 32: 0.94; bench.bench_scale)
EXACT_SUBSET = 20_000  # a filter keeping at most this many vectors is searched exactly over their copies
TRAIN_PER_LIST = 40  # k-means sample: this many vectors per list (faiss asks for at least 39)


def nlist_for(n: int) -> int:
    """Number of inverted lists for n vectors: the power of two nearest 2·√n, at least 256."""
    return max(256, 2 ** round(math.log2(2 * math.sqrt(max(n, 1)))))


@contextmanager
def _all_cores():
    """Training and bulk assignment are parallel; single queries stay on one thread."""
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(max(1, os.cpu_count() or 1))
    try:
        yield
    finally:
        faiss.omp_set_num_threads(threads)


def _flat(dim: int):
    return faiss.IndexIDMap2(faiss.IndexFlatIP(dim))


class VectorStore:
    def __init__(self, dim: int, index=None, threshold: int | None = None) -> None:
        self.dim = int(dim)
        self._index = index if index is not None else _flat(self.dim)
        self.threshold = APPROX_THRESHOLD if threshold is None else int(threshold)
        if self.approximate:
            self._index.nprobe = min(NPROBE, self._index.nlist)

    @property
    def approximate(self) -> bool:
        return isinstance(self._index, faiss.IndexIVF)

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(ids), self.dim)
        if not len(ids):
            return
        if self.approximate:
            with _all_cores():
                self._index.add_with_ids(vectors, ids)
            return
        self._index.add_with_ids(vectors, ids)
        if len(self) >= self.threshold:
            self._rebuild()

    def remove(self, ids: np.ndarray) -> int:
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        if not len(ids):
            return 0
        selector = faiss.IDSelectorArray(ids) if self.approximate else faiss.IDSelectorBatch(ids)
        return int(self._index.remove_ids(selector))

    def _rebuild(self) -> None:
        """Make the index the size calls for: exact below the threshold, else lists trained on the vectors."""
        ids = self.ids()
        if self.approximate:
            vectors = self.reconstruct(ids)
        else:  # the flat index's own storage, in id_map order
            flat = faiss.downcast_index(self._index.index)
            vectors = faiss.rev_swig_ptr(flat.get_xb(), len(ids) * self.dim).reshape(len(ids), self.dim).copy()
        if len(ids) < self.threshold:
            index = _flat(self.dim)
            index.add_with_ids(vectors, ids)
        else:
            nlist = nlist_for(len(ids))
            index = faiss.IndexIVFFlat(faiss.IndexFlatIP(self.dim), self.dim, nlist, faiss.METRIC_INNER_PRODUCT)
            sample = np.random.default_rng(0).choice(len(ids), size=min(len(ids), TRAIN_PER_LIST * nlist),
                                                     replace=False)
            with _all_cores():
                index.train(vectors[np.sort(sample)])
                index.set_direct_map_type(faiss.DirectMap.Hashtable)
                index.add_with_ids(vectors, ids)
            index.nprobe = min(NPROBE, nlist)
        self._index = index

    def _stale_shape(self) -> bool:
        """True when the index no longer fits its size (retrained lists or back to exact)."""
        if not self.approximate:
            return len(self) >= self.threshold
        return len(self) < self.threshold // 2 or not (self._index.nlist // 2 <= nlist_for(len(self))
                                                       <= self._index.nlist * 2)

    def ids(self) -> np.ndarray:
        if not self.approximate:
            return faiss.vector_to_array(self._index.id_map).astype(np.int64)
        lists = self._index.invlists
        parts = [faiss.rev_swig_ptr(lists.get_ids(i), lists.list_size(i)).copy()
                 for i in range(self._index.nlist) if lists.list_size(i)]
        return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, np.int64)

    def reconstruct(self, ids: np.ndarray) -> np.ndarray:
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        if not len(ids):
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._index.reconstruct_batch(ids)

    def search(self, query: np.ndarray, k: int, allowed_ids: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        scores, ids = self.search_batch(np.asarray(query, dtype=np.float32).reshape(1, -1), k, allowed_ids)
        return scores[0], ids[0]

    def _search_subset(self, queries: np.ndarray, k: int, allowed_ids: np.ndarray):
        """Exact top-k over a few allowed vectors (a narrow filter on the lists): copy them out, multiply."""
        allowed = np.unique(np.ascontiguousarray(allowed_ids, dtype=np.int64))
        scores = queries @ self.reconstruct(allowed).T
        out_s, out_i = [], []
        for row in scores:
            best = np.argpartition(-row, k - 1)[:k] if k < len(row) else np.arange(len(row))
            best = best[np.argsort(-row[best], kind="stable")]
            out_s.append(row[best])
            out_i.append(allowed[best])
        return out_s, out_i

    def search_batch(self, queries: np.ndarray, k: int, allowed_ids: np.ndarray | None = None, exact: bool = False):
        """Top-k by inner product (cosine on normalized vectors); never returns the -1 padding ids.

        Exact below the threshold, with exact=True and for a filter keeping at most EXACT_SUBSET vectors. On the
        lists, a broader filter keeping a share s of the vectors probes NPROBE/s lists (all of them at most)."""
        queries = np.ascontiguousarray(queries, dtype=np.float32).reshape(-1, self.dim)
        k = min(int(k), len(self) if allowed_ids is None else min(len(self), len(allowed_ids)))
        if k <= 0:
            return [np.zeros(0, np.float32)] * len(queries), [np.zeros(0, np.int64)] * len(queries)
        selector = None
        if allowed_ids is not None:
            if self.approximate and len(allowed_ids) <= EXACT_SUBSET:
                return self._search_subset(queries, k, allowed_ids)
            selector = faiss.IDSelectorBatch(np.ascontiguousarray(allowed_ids, dtype=np.int64))
        if self.approximate:
            nlist = self._index.nlist
            share = 1.0 if allowed_ids is None else max(len(allowed_ids) / len(self), 1e-9)
            nprobe = nlist if exact else min(nlist, math.ceil(self._index.nprobe / share))
            params = faiss.SearchParametersIVF(sel=selector, nprobe=nprobe)
        else:
            params = None if selector is None else faiss.SearchParameters(sel=selector)
        scores, ids = self._index.search(queries, k, params=params)
        out_s, out_i = [], []
        for s, i in zip(scores, ids):
            keep = i >= 0
            out_s.append(s[keep])
            out_i.append(i[keep])
        return out_s, out_i

    def save(self, path: Path) -> None:
        """Serialize, then write crash-safely (temp file, fsync, rename, fsync of the directory).

        An index whose shape no longer fits its size is rebuilt first (exact <-> lists, retrained lists)."""
        if self._stale_shape():
            self._rebuild()
        atomic_write(Path(path), faiss.serialize_index(self._index).tobytes())

    @classmethod
    def load(cls, path: Path, threshold: int | None = None) -> VectorStore:
        index = faiss.read_index(str(path))
        store = cls(index.d, index, threshold)
        if not store.approximate and len(store) >= store.threshold:
            store._rebuild()
        return store

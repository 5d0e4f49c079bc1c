"""FAISS search latency and resident memory at 10k and 100k synthetic chunks (dim 384, exact inner product).

Run: .venv/bin/python -m bench.bench_vectors
"""

from __future__ import annotations

import statistics
import time

import numpy as np


def rss_mib() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    import faiss

    from bot.evaluate import percentile
    from bot.store.vectors import VectorStore

    dim, rng = 384, np.random.default_rng(0)
    print(f"{'chunks':>8} {'threads':>7} {'p50 ms':>8} {'p95 ms':>8} {'subset p50 ms':>13} {'RSS MiB':>8} {'index MiB':>9}")
    for n in (10_000, 100_000):
        base_rss = rss_mib()
        vecs = rng.normal(size=(n, dim)).astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        store = VectorStore(dim)
        store.add(np.arange(n, dtype=np.int64), vecs)
        del vecs
        index_mib = rss_mib() - base_rss
        queries = rng.normal(size=(200, dim)).astype(np.float32)
        queries /= np.linalg.norm(queries, axis=1, keepdims=True)
        allowed = np.arange(0, n, 50, dtype=np.int64)  # a metadata-filtered search over 2% of the chunks
        for threads in (1, 2):
            faiss.omp_set_num_threads(threads)
            times, sub = [], []
            for q in queries:
                t = time.perf_counter()
                store.search(q, 40)
                times.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                store.search(q, 40, allowed_ids=allowed)
                sub.append((time.perf_counter() - t) * 1000)
            print(f"{n:>8} {threads:>7} {statistics.median(times):>8.2f} {percentile(times, 0.95):>8.2f} "
                  f"{statistics.median(sub):>13.2f} {rss_mib():>8.0f} {index_mib:>9.0f}")
        faiss.omp_set_num_threads(1)
        del store


if __name__ == "__main__":
    main()

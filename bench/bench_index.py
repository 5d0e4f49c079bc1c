"""Index and answer benchmark on the shipped corpus (2-core machine figures go in the closing notes).

Run: .venv/bin/python -m bench.bench_index [--qa ../shared/qa/dev.jsonl]
Prints: full build time; indexing throughput vs the raw embedder on the same texts; retrieval and
answer latency p50/p95 (warm, query embedding included); `index update` adding one report as a
fraction of a full build; recall@1/@5 on the QA file.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def drop_index_keep_parse_cache(index_dir: Path) -> None:
    for p in index_dir.iterdir():
        if p.name != "parsed":
            shutil.rmtree(p) if p.is_dir() else p.unlink()


def main() -> None:
    from bot.evaluate import percentile

    ap = argparse.ArgumentParser()
    ap.add_argument("--qa", type=Path, default=ROOT.parent / "shared" / "qa" / "dev.jsonl")
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    ap.add_argument("--repeat", type=int, default=5, help="passes over the questions for latency")
    args = ap.parse_args()

    from bot.config import load_config
    from bot.evaluate import load_qa, run_eval
    from bot.service import Service

    work = Path(tempfile.mkdtemp(prefix="bench-index-"))
    try:
        corpus = work / "corpus"
        shutil.copytree(args.corpus, corpus)
        cfg = load_config(corpus_dir=corpus, index_dir=work / "index", data_dir=work / "data")
        service = Service(cfg)
        embedder = service.embedder
        embedder.embed_query("warm up")  # model load is not indexing time

        t = time.perf_counter()
        built = service.build()
        build_s = time.perf_counter() - t

        data = service.retriever.data
        texts = [c.embed_text for c in data.chunks]
        t = time.perf_counter()
        embedder.embed_documents(texts)
        raw_s = time.perf_counter() - t
        # a rebuild reuses the parse cache, so this compares chunk+embed+index with the raw embedder
        t = time.perf_counter()
        drop_index_keep_parse_cache(cfg.index_dir)
        service.build()
        rebuild_s = time.perf_counter() - t

        # update adding one report of median size (in chunks): take it out, build, put it back, update
        per_file: dict[str, int] = {}
        for c in data.chunks:
            per_file[data.docs[c.doc_id].file] = per_file.get(data.docs[c.doc_id].file, 0) + 1
        victim = corpus / sorted(per_file, key=per_file.get)[len(per_file) // 2]
        held = work / victim.name
        shutil.move(victim, held)
        drop_index_keep_parse_cache(cfg.index_dir)
        service.build()
        shutil.move(held, victim)
        t = time.perf_counter()
        upd = service.update()
        update_s = time.perf_counter() - t
        questions = [r["question"] for r in load_qa(args.qa)] if args.qa.exists() else ["淮安市2024年受理多少件申请?"]
        for q in questions:  # warm
            service.ask(q)
        retr, ans = [], []
        for _ in range(args.repeat):
            for q in questions:
                t = time.perf_counter()
                service.retrieve(q, top_k=5)
                retr.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                service.ask(q)
                ans.append((time.perf_counter() - t) * 1000)
        report = {
            "documents": built["documents"], "chunks": built["chunks"],
            "build_s_first_incl_pdf_parsing": round(build_s, 2),
            "build_s": round(rebuild_s, 2),
            "raw_embedder_s_same_texts": round(raw_s, 2),
            "raw_embedder_texts_per_s": round(len(texts) / raw_s, 1),
            "indexing_throughput_ratio": round(raw_s / rebuild_s, 3),
            "update_add_one_report_s": round(update_s, 2),
            "update_fraction_of_build": round(update_s / rebuild_s, 3),
            "update_report": {k: upd[k] for k in ("added", "chunks_added")},
            "chunks_per_file": per_file,
            "retrieval_ms_p50": round(statistics.median(retr), 1), "retrieval_ms_p95": round(percentile(retr, 0.95), 1),
            "answer_ms_p50": round(statistics.median(ans), 1), "answer_ms_p95": round(percentile(ans, 0.95), 1),
        }
        if args.qa.exists():
            ev = run_eval(service, args.qa)
            report.update({k: ev[k] for k in ("accuracy", "recall@1", "recall@5", "citation_precision")})
        print(json.dumps(report, ensure_ascii=False, indent=2))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

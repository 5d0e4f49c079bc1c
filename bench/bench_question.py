"""A question at the length limit (2,000 characters), end to end through `Service.ask`, warm.

Run: .venv/bin/python -m bench.bench_question [--index-dir index] [--runs 7]
Without an existing index at --index-dir it builds one from corpus/ in a temporary directory first.
Prints, for a 2,000-character Chinese and English question and for a short one: p50 / max of the wall time of
`Service.ask` over the runs, and the stage timings of the slowest run (analysis, query embedding, search, answer).
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
LIMIT = 2000
SHORT = "淮安市2024年政府信息公开行政复议有多少件?"
# a citizen's long message: background first, the question last (as long questions pasted into a portal are)
ZH_FILLER = ("我是本市居民，前几年因为房屋征收补偿的问题多次向有关部门申请公开相关文件，包括征收决定、补偿方案、"
             "评估报告和听证记录等，有的答复及时，有的超过了法定期限，还有的说信息不存在。")
ZH_ASK = "请问淮安市人民政府2024年一共收到了多少件政府信息公开申请?"
EN_FILLER = ("I live in the city and over the past years I asked several departments to disclose documents about "
             "the expropriation of my house, the compensation plan, the valuation report and the hearing record. ")
EN_ASK = "How many government information disclosure applications did Huai'an receive in 2024?"


def long_question(filler: str, ask: str, length: int = LIMIT) -> str:
    """`filler` repeated (the first copy cut at its start), then `ask`: exactly `length` characters."""
    body = (filler * (length // len(filler) + 1))[len(ask) - length:]
    return body + ask


def measure(service, question: str, runs: int) -> dict:
    service.ask(question)  # warm: model loaded, caches filled
    walls, slowest = [], None
    for _ in range(runs):
        t = time.perf_counter()
        ans = service.ask(question)
        walls.append((time.perf_counter() - t) * 1000)
        if walls[-1] == max(walls):
            slowest = ans
    return {"chars": len(question), "runs": runs, "p50_ms": round(statistics.median(walls), 1),
            "max_ms": round(max(walls), 1), "found": slowest.found,
            "figure": slowest.figure.text if slowest.figure else None,
            "stages_ms_slowest": {k: round(v, 1) for k, v in slowest.timings_ms.items()}}


def open_service(index_dir: Path, corpus: Path):
    """(service, temporary directory or None): the index at index_dir, else one built from corpus."""
    from bot.config import load_config
    from bot.service import Service

    if (index_dir / "manifest.json").exists():
        return Service.open(load_config(index_dir=index_dir)), None
    work = Path(tempfile.mkdtemp(prefix="bench-question-"))
    shutil.copytree(corpus, work / "corpus")
    cfg = load_config(corpus_dir=work / "corpus", index_dir=work / "index", data_dir=work / "data")
    return Service.open(cfg, build_if_missing=True), work


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index-dir", type=Path, default=ROOT / "index")
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    service, work = open_service(args.index_dir, args.corpus)
    try:
        report = {"zh_2000": measure(service, long_question(ZH_FILLER, ZH_ASK), args.runs),
                  "en_2000": measure(service, long_question(EN_FILLER, EN_ASK), args.runs),
                  "short": measure(service, SHORT, args.runs)}
        print(json.dumps(report, ensure_ascii=False, indent=2))
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Evaluation on a QA file: accuracy, retrieval recall@k, citation precision, latency, failures."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from .config import Config
from .errors import BadQuestionError, ConfigError
from .normalize import normalize


def comparable(text: str) -> str:
    """Normalized for matching expected answers: simplified, half-width, no thousands separators or spaces."""
    text = normalize(text)
    text = re.sub(r"(?<=\d)[,，](?=\d{3})", "", text)
    return re.sub(r"\s+", "", text)


def contains_expected(answer: str, expected: list[str]) -> bool:
    got = comparable(answer)
    for e in expected:
        want = comparable(e)
        if re.fullmatch(r"\d+(\.\d+)?", want):
            # whole numbers: 141 must not match inside 1410 or 2141
            if re.search(r"(?<![\d.])" + re.escape(want) + r"(?![\d]|\.\d)", got):
                return True
        elif want in got:
            return True
    return False


def load_qa(path: Path) -> list[dict]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ConfigError(f"{path}:{n} is not valid JSON ({exc}); one object a line is expected") from exc
    return rows


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def run_eval(cfg: Config, qa_file: Path, service=None, recall_k: int = 5) -> dict:
    from .query import analyze, resolve_followup
    from .service import Service

    service = service or Service.open(cfg)
    rows = load_qa(qa_file)
    results, latencies = [], []
    hits_at = {1: 0, recall_k: 0}
    answerable_n = cited_ok = cited_total = 0
    for row in rows:
        history = [(q, None) for q in row.get("history", [])]
        t = time.perf_counter()
        try:
            ans = service.ask(row["question"], history=history)
            answer_text, found, citations = ans.answer, ans.found, ans.citations
        except BadQuestionError as exc:
            answer_text, found, citations = str(exc), False, []
        latencies.append((time.perf_counter() - t) * 1000)
        source = row.get("source", "")
        if row.get("answerable", True):
            answerable_n += 1
            ok = found and contains_expected(answer_text, row.get("expect_any", [])) and any(
                source in c.source for c in citations)
            # retrieval recall: a hit from the expected source that contains an expected answer
            retr = service.retriever
            prev = service._previous_info(history)
            info = resolve_followup(analyze(row["question"], retr.catalog), prev)
            hits = retr.search(info, recall_k).hits
            for k in hits_at:
                if any(source in h.chunk.doc_id and contains_expected(h.chunk.text, row.get("expect_any", []))
                       for h in hits[:k]):
                    hits_at[k] += 1
            if found:
                cited_total += len(citations)
                cited_ok += sum(1 for c in citations if source in c.source)
        else:
            ok = not found
        results.append({"id": row.get("id"), "question": row["question"], "ok": ok, "found": found,
                        "answerable": row.get("answerable", True), "expected": row.get("expect_any"),
                        "source": source, "answer": answer_text,
                        "cited": [c.source for c in citations]})
    n = len(rows)
    unanswerable_with_number = sum(1 for r in results if not r["answerable"] and r["found"]
                                   and re.search(r"\d", r["answer"]))
    return {
        "questions": n,
        "accuracy": round(sum(r["ok"] for r in results) / n, 4) if n else 0.0,
        f"recall@1": round(hits_at[1] / answerable_n, 4) if answerable_n else 0.0,
        f"recall@{recall_k}": round(hits_at[recall_k] / answerable_n, 4) if answerable_n else 0.0,
        "citation_precision": round(cited_ok / cited_total, 4) if cited_total else 0.0,
        "unanswerable_answered_with_number": unanswerable_with_number,
        "latency_ms_p50": round(percentile(latencies, 0.5), 1),
        "latency_ms_p95": round(percentile(latencies, 0.95), 1),
        "failures": [r for r in results if not r["ok"]],
    }


def format_report(report: dict) -> str:
    lines = [f"{k:36} {v}" for k, v in report.items() if k != "failures"]
    if report["failures"]:
        lines.append(f"\nfailures ({len(report['failures'])}):")
        for f in report["failures"]:
            lines.append(f"- {f['id']}: {f['question']}\n    expected {f['expected']} from {f['source']}; "
                         f"found={f['found']} cited={f['cited']}\n    answer: {f['answer'][:300]!r}")
    return "\n".join(lines)

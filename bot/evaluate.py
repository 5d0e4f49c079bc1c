"""Evaluation on a QA file: accuracy, retrieval recall@k, citation precision, latency, failures."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from bot.errors import BadQuestionError, ConfigError
from bot.models import Turn
from bot.text import normalize


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


_YES_NO = re.compile(r"^(?:有|没有|沒有|Yes|No)\s*(?:\[\d+\])?$")  # a yes/no answer's short form: "没有 [1]"
_NEGATIVE = re.compile(r"未|没|沒|不|无|無|\bno\b|\bnot\b|n't", re.I)


def _polarity_ok(shown: str, row: dict) -> bool:
    """A yes or no shown says what the expected answer says: "有" over a quote that says 没有 is wrong."""
    if not _YES_NO.match(shown):
        return True
    expected_no = any(_NEGATIVE.search(e) for e in row.get("expect_any", []))
    return expected_no == bool(_NEGATIVE.search(shown))


def _score_row(service, row: dict, recall_k: int) -> dict:
    """One QA row asked, and judged: right, wrong figure, abstained, or unanswerable answered."""
    history = [Turn(q) for q in row.get("history", [])]
    t = time.perf_counter()
    try:
        ans = service.ask(row["question"], history=history)
        answer_text, found, citations = ans.answer, ans.found, ans.citations
        shown = ans.short if ans.found else ""
    except BadQuestionError as exc:
        answer_text, found, citations, shown = str(exc), False, [], ""
    latency = (time.perf_counter() - t) * 1000
    source, answerable = row.get("source", ""), row.get("answerable", True)
    out = {"id": row.get("id"), "category": row.get("category", ""), "question": row["question"],
           "answerable": answerable, "expected": row.get("expect_any"), "source": source, "found": found,
           "answer": answer_text, "cited": [c.source for c in citations], "latency_ms": latency,
           "recall": {}, "cited_ok": sum(1 for c in citations if source and any(
               x.strip() and x.strip() in c.source for x in source.split(";")))}
    if answerable:
        # a question over several reports names each ("a; b"): every one must be cited
        sources = [x.strip() for x in source.split(";") if x.strip()] or [source]
        # the figure shown must be the expected one: a wrong figure whose quote holds the right one is wrong
        judged = shown if re.search(r"\d", shown) else answer_text
        out["ok"] = found and contains_expected(judged, row.get("expect_any", [])) and _polarity_ok(shown, row) and all(
            any(x in c.source for c in citations) for x in sources)
        # a wrong figure: an answer shown with a number that is not the expected one
        out["wrong_figure"] = found and not out["ok"] and bool(re.search(r"\d", shown))
        out["abstained"] = not found
        hits = service.retrieve(row["question"], recall_k, history=history).hits
        for k in (1, recall_k):
            out["recall"][k] = any(any(x in h.chunk.doc_id for x in sources) and contains_expected(h.chunk.text, row.get("expect_any", []))
                                   for h in hits[:k])
    else:
        out["ok"] = not found
        out["wrong_figure"] = found and bool(re.search(r"\d", shown))
        out["abstained"] = not found
    return out


def summarize(results: list[dict], recall_k: int = 5) -> dict:
    """Accuracy, wrong-figure rate, abstention rate and unanswerable answered, over `results`."""
    ans = [r for r in results if r["answerable"]]
    una = [r for r in results if not r["answerable"]]
    found = [r for r in ans if r["found"]]

    def rate(xs, key):
        return round(sum(bool(x[key]) for x in xs) / len(xs), 4) if xs else 0.0

    return {
        "questions": len(results), "answerable": len(ans), "unanswerable": len(una),
        "accuracy": rate(results, "ok"),
        "wrong_figure_rate": rate(ans, "wrong_figure"),
        "abstention_rate": rate(ans, "abstained"),
        "unanswerable_answered": sum(bool(r["found"]) for r in una),
        "recall@1": round(sum(r["recall"].get(1, False) for r in ans) / len(ans), 4) if ans else 0.0,
        f"recall@{recall_k}": round(sum(r["recall"].get(recall_k, False) for r in ans) / len(ans), 4) if ans else 0.0,
        "citation_precision": round(sum(r["cited_ok"] for r in found) / max(1, sum(len(r["cited"]) for r in found)), 4),
    }


def run_eval(service, qa_file: Path, recall_k: int = 5) -> dict:
    """Score `service` (a bot.Service) on a QA file; per category too when rows carry one."""
    results = [_score_row(service, row, recall_k) for row in load_qa(qa_file)]
    latencies = [r["latency_ms"] for r in results]
    report = summarize(results, recall_k)
    report["unanswerable_answered_with_number"] = sum(1 for r in results if not r["answerable"] and r["wrong_figure"])
    cats = sorted({r["category"] for r in results if r["category"]})
    if cats:
        report["by_category"] = {c: summarize([r for r in results if r["category"] == c], recall_k) for c in cats}
    report.update({"latency_ms_p50": round(percentile(latencies, 0.5), 1),
                   "latency_ms_p95": round(percentile(latencies, 0.95), 1),
                   "failures": [r for r in results if not r["ok"]]})
    return report


def format_report(report: dict) -> str:
    lines = [f"{k:36} {v}" for k, v in report.items() if k not in ("failures", "by_category")]
    for cat, sub in report.get("by_category", {}).items():
        lines.append(f"  {cat:20} n={sub['questions']:<4} accuracy={sub['accuracy']:<7} "
                     f"wrong_figure={sub['wrong_figure_rate']:<7} abstained={sub['abstention_rate']:<7} "
                     f"unanswerable_answered={sub['unanswerable_answered']}")
    if report["failures"]:
        lines.append(f"\nfailures ({len(report['failures'])}):")
        for f in report["failures"]:
            lines.append(f"- {f['id']}: {f['question']}\n    expected {f['expected']} from {f['source']}; "
                         f"found={f['found']} cited={f['cited']}\n    answer: {f['answer'][:300]!r}")
    return "\n".join(lines)

"""HTTP load on loopback: N concurrent clients POST /api/ask for a bounded time.

Run: .venv/bin/python -m bench.load --clients 8 --seconds 20
Starts the server on 127.0.0.1 (index/ from corpus/, built if missing) unless --url names a running one on loopback.
"""

from __future__ import annotations

import argparse
import json
import statistics
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
FALLBACK = ["淮安市2024年全市共受理政府信息公开申请多少件?", "How many applications did Hongze district accept in 2023?",
            "咸宁市2015年城乡低保对象有多少户?"]


def start_server():
    from bot.config import load_config
    from bot.serve import create_app, serve_in_background
    from bot.service import Service

    cfg = load_config(rate_limit_per_minute=1_000_000)  # the bench measures serving, not the limiter
    return serve_in_background(create_app(cfg, service=Service.open(cfg, build_if_missing=True, progress=print)))


def main() -> None:
    import httpx

    from bot.evaluate import percentile

    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--url", default="")
    args = ap.parse_args()
    server = None
    url = args.url
    if url:
        if urlparse(url).hostname not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit("load is only sent to loopback addresses")
    else:
        url, server = start_server()
    qa = ROOT.parent / "shared" / "qa" / "dev.jsonl"
    questions = [json.loads(l)["question"] for l in qa.read_text(encoding="utf-8").splitlines() if l.strip()] \
        if qa.exists() else FALLBACK
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + args.seconds

    def client(k: int) -> None:
        with httpx.Client(base_url=url, timeout=30) as http:
            i = k
            while time.monotonic() < stop_at:
                q = questions[i % len(questions)]
                i += args.clients
                t = time.perf_counter()
                try:
                    r = http.post("/api/ask", json={"question": q})
                    ok = r.status_code == 200
                    why = f"HTTP {r.status_code}"
                except httpx.HTTPError as exc:
                    ok, why = False, str(exc)
                with lock:
                    latencies.append((time.perf_counter() - t) * 1000)
                    if not ok:
                        errors.append(why)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(args.clients)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    print(json.dumps({"clients": args.clients, "seconds": round(elapsed, 1), "requests": len(latencies),
                      "throughput_rps": round(len(latencies) / elapsed, 1),
                      "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
                      "p95_ms": round(percentile(latencies, 0.95), 1), "errors": len(errors),
                      "error_kinds": sorted(set(errors))[:5]}, ensure_ascii=False))
    if server:
        server.should_exit = True


if __name__ == "__main__":
    main()

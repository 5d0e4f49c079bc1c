"""HTTP load on loopback: N concurrent clients POST /api/ask for a bounded time.

Run: .venv/bin/python -m bench.load --clients 8 --seconds 20
     .venv/bin/python -m bench.load --clients 8 --write     # upload a ~50-chunk report, then delete it, meanwhile
Starts the server on 127.0.0.1 (index/ from corpus/, built if missing) unless --url names a running one on loopback.
With --write the server runs in its own process (`python -m bot serve`) on a temporary index and data directory
(the corpus is only read), one writer uploads a renamed copy of a corpus report and deletes it again while the
clients ask and a poller measures /api/health; answers are compared with the answers given before the upload.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
FALLBACK = ["淮安市2024年全市共受理政府信息公开申请多少件?", "How many applications did Hongze district accept in 2023?",
            "咸宁市2015年城乡低保对象有多少户?"]
WRITE_FILE = "huaian_2024.pdf"  # 51 chunks: the size of report the issue measured (52)


def start_server():
    from bot.config import load_config
    from bot.serve import create_app, serve_in_background
    from bot.service import Service

    cfg = load_config(rate_limit_per_minute=1_000_000)  # the bench measures serving, not the limiter
    return serve_in_background(create_app(cfg, service=Service.open(cfg, build_if_missing=True, progress=print)))


# ---------------------------------------------------------------- a server in its own process (fuzz, --write)
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server_process(settings: dict[str, str], log: Path, timeout: float = 900) -> tuple[str, subprocess.Popen]:
    """`python -m bot serve` on a free loopback port with BOT_* settings; returns when /api/health says ready."""
    import httpx

    port = free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "BOT_HOST": "127.0.0.1", "BOT_PORT": str(port), **settings}
    with open(log, "ab") as out:
        proc = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--port", str(port)], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}: see {log}")
        try:
            health = httpx.get(url + "/api/health", timeout=5).json()
            if health.get("status") == "ready":
                return url, proc
            if health.get("status") == "error":
                stop_server_process(proc)
                raise SystemExit(f"the server could not open its index: {health.get('progress')}")
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.5)
    stop_server_process(proc)
    raise SystemExit(f"the server was not ready after {timeout:.0f} s: see {log}")


def stop_server_process(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(30)


def rss_mib(pid: int) -> float:
    """Resident memory of a process in MiB (psutil when installed, else /proc/<pid>/status)."""
    try:
        import psutil
    except ImportError:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")
    return psutil.Process(pid).memory_info().rss / (1024 * 1024)


def server_settings(work: Path, corpus: Path, key: str) -> dict[str, str]:
    return {"BOT_CORPUS_DIR": str(corpus), "BOT_INDEX_DIR": str(work / "index"), "BOT_DATA_DIR": str(work / "data"),
            "BOT_API_KEY": key, "BOT_RATE_LIMIT_PER_MINUTE": "1000000", "BOT_LLM_BASE_URL": ""}


# ---------------------------------------------------------------- measuring
def load_questions() -> list[str]:
    qa = ROOT.parent / "shared" / "qa" / "dev.jsonl"
    if not qa.exists():
        return FALLBACK
    return [json.loads(l)["question"] for l in qa.read_text(encoding="utf-8").splitlines() if l.strip()]


def answer_key(body: dict) -> tuple:
    """What must not change while a report is added and removed: found, and the figure's digits (a renamed copy
    of a report may change how a figure is worded, '351件' or '351', as the question then matches two reports)."""
    return bool(body.get("found")), "".join(re.findall(r"\d", body.get("short") or body.get("answer", "")))


class Recorder:
    """Every request's start time, latency and outcome, from all threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.asks: list[tuple[float, float]] = []  # (start, ms)
        self.health: list[tuple[float, float]] = []
        self.errors: list[str] = []
        self.wrong: list[str] = []
        self.windows: list[tuple[str, float, float]] = []  # (what, start, end) of each write

    def in_write(self, t: float, ms: float) -> bool:
        return any(t < end and t + ms / 1000 > start for _, start, end in self.windows)

    def during_write(self, rows: list[tuple[float, float]]) -> list[float]:
        return [ms for t, ms in rows if self.in_write(t, ms)]

    def outside_write(self, rows: list[tuple[float, float]]) -> list[float]:
        return [ms for t, ms in rows if not self.in_write(t, ms)]

    def slowest(self, rows: list[tuple[float, float]], n: int = 5) -> list[str]:
        """The slowest requests, placed on the write's timeline (seconds after the upload began)."""
        t0 = self.windows[0][1] if self.windows else 0.0
        return [f"{ms:.0f} ms at {t - t0:+.1f} s" for t, ms in sorted(rows, key=lambda r: -r[1])[:n]]


def ask_client(url: str, questions: list[str], k: int, step: int, stop: threading.Event, rec: Recorder,
               baseline: dict[str, tuple] | None) -> None:
    import httpx

    with httpx.Client(base_url=url, timeout=30) as http:
        i = k
        while not stop.is_set():
            q = questions[i % len(questions)]
            i += step
            t, t0 = time.monotonic(), time.perf_counter()
            wrong = None
            try:
                r = http.post("/api/ask", json={"question": q})
                why = "" if r.status_code == 200 else f"HTTP {r.status_code}: {r.text[:120]}"
                if not why and baseline is not None and answer_key(r.json()) != baseline[q]:
                    wrong = f"{q}: {answer_key(r.json())} instead of {baseline[q]}"
            except httpx.HTTPError as exc:
                why = f"{exc.__class__.__name__}: {exc}"
            with rec.lock:
                rec.asks.append((t, (time.perf_counter() - t0) * 1000))
                rec.errors += [why] if why else []
                rec.wrong += [wrong] if wrong else []


def health_poller(url: str, stop: threading.Event, rec: Recorder, every: float = 0.02) -> None:
    import httpx

    with httpx.Client(base_url=url, timeout=30) as http:
        while not stop.is_set():
            t, t0 = time.monotonic(), time.perf_counter()
            try:
                r = http.get("/api/health")
                why = "" if r.status_code == 200 else f"health HTTP {r.status_code}"
            except httpx.HTTPError as exc:
                why = f"health {exc.__class__.__name__}: {exc}"
            with rec.lock:
                rec.health.append((t, (time.perf_counter() - t0) * 1000))
                rec.errors += [why] if why else []
            time.sleep(every)


def ms_stats(values: list[float]) -> dict:
    from bot.evaluate import percentile

    if not values:
        return {"n": 0}
    return {"n": len(values), "p50_ms": round(statistics.median(values), 1),
            "p95_ms": round(percentile(values, 0.95), 1), "max_ms": round(max(values), 1)}


# ---------------------------------------------------------------- the write during the load
def write_once(url: str, key: str, name: str, data: bytes, rec: Recorder) -> dict:
    """Upload `name`, wait, delete it; the windows of both writes are recorded."""
    import httpx

    auth = {"Authorization": f"Bearer {key}"}
    out: dict = {}
    with httpx.Client(base_url=url, timeout=600) as http:
        chunks_before = http.get("/api/status").json()["chunks"]
        t = time.monotonic()
        up = http.post("/api/documents", files={"file": (name, data)}, headers=auth)
        rec.windows.append(("upload", t, time.monotonic()))
        out["upload"] = {"status": up.status_code, "seconds": round(time.monotonic() - t, 2),
                         "added": up.json().get("added") if up.status_code == 201 else up.text[:300],
                         "chunks_added": http.get("/api/status").json()["chunks"] - chunks_before}
        time.sleep(2)
        if up.status_code == 201:
            t = time.monotonic()
            gone = http.delete(f"/api/documents/{up.json()['added'][0]}", headers=auth)
            rec.windows.append(("delete", t, time.monotonic()))
            out["delete"] = {"status": gone.status_code, "seconds": round(time.monotonic() - t, 2)}
        out["chunks_after"] = http.get("/api/status").json()["chunks"]
        out["chunks_before"] = chunks_before
    return out


def renamed_copy(name: str) -> tuple[str, bytes]:
    """A corpus report under a new name, with bytes of its own (an identical copy is refused as a duplicate)."""
    src = ROOT / "corpus" / name
    data = src.read_bytes()
    data += b"\n% load bench copy\n" if src.suffix == ".pdf" else b"\n\n"
    return f"loadbench_{src.stem}{src.suffix}", data


def prepare_index(work: Path, source: Path) -> None:
    """A copy of a built index of corpus/ when there is one (saves a build); else the server builds its own."""
    if (source / "manifest.json").exists():
        shutil.copytree(source, work / "index", ignore=shutil.ignore_patterns(".*"))


def run_write(args, questions: list[str]) -> dict:
    """--write: a server process on a temporary index; clients ask while one report is uploaded and deleted."""
    key = "load-bench-key"
    work = Path(tempfile.mkdtemp(prefix="bot-load-"))
    prepare_index(work, Path(args.index_from))
    url, proc = start_server_process(server_settings(work, ROOT / "corpus", key), work / "server.log")
    try:
        import httpx

        baseline = {q: answer_key(httpx.post(url + "/api/ask", json={"question": q}, timeout=60).json())
                    for q in questions}
        rec = Recorder()
        stop = threading.Event()
        threads = [threading.Thread(target=ask_client, args=(url, questions, k, args.clients, stop, rec, baseline))
                   for k in range(args.clients)] + [threading.Thread(target=health_poller, args=(url, stop, rec))]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        time.sleep(args.warmup)
        name, data = renamed_copy(args.write_file)
        write = write_once(url, key, name, data, rec)
        time.sleep(max(args.warmup, args.seconds - (time.monotonic() - t0)))
        stop.set()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - t0
    finally:
        stop_server_process(proc)
        shutil.rmtree(work, ignore_errors=True)
    return {"clients": args.clients, "seconds": round(elapsed, 1), "write": write, "asks": len(rec.asks),
            "errors": len(rec.errors), "error_kinds": sorted(set(rec.errors))[:5], "wrong_answers": len(rec.wrong),
            "wrong_examples": rec.wrong[:3], "ask": ms_stats([ms for _, ms in rec.asks]),
            "ask_during_write": ms_stats(rec.during_write(rec.asks)), "ask_outside_write": ms_stats(rec.outside_write(rec.asks)),
            "health_during_write": ms_stats(rec.during_write(rec.health)),
            "health_outside_write": ms_stats(rec.outside_write(rec.health)),
            "health_slowest": rec.slowest(rec.health), "windows": [(w, round(e - s, 2)) for w, s, e in rec.windows]}


def run_plain(args, questions: list[str]) -> dict:
    server = None
    url = args.url
    if url:
        if urlparse(url).hostname not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit("load is only sent to loopback addresses")
    else:
        url, server = start_server()
    rec = Recorder()
    stop = threading.Event()
    threads = [threading.Thread(target=ask_client, args=(url, questions, k, args.clients, stop, rec, None))
               for k in range(args.clients)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    time.sleep(args.seconds)
    stop.set()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    if server:
        server.should_exit = True
    latencies = [ms for _, ms in rec.asks]
    return {"clients": args.clients, "seconds": round(elapsed, 1), "requests": len(latencies),
            "throughput_rps": round(len(latencies) / elapsed, 1), **ms_stats(latencies), "errors": len(rec.errors),
            "error_kinds": sorted(set(rec.errors))[:5]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--url", default="")
    ap.add_argument("--write", action="store_true", help="upload a report and delete it while the clients ask")
    ap.add_argument("--write-file", default=WRITE_FILE, help="the corpus report copied for --write")
    ap.add_argument("--warmup", type=float, default=3, help="seconds of asking before and after the write")
    ap.add_argument("--index-from", default=str(ROOT / "index"), help="a built index of corpus/ to copy for --write")
    args = ap.parse_args()
    questions = load_questions()
    result = run_write(args, questions) if args.write else run_plain(args, questions)
    print(json.dumps(result, ensure_ascii=False))
    if args.write and (result["errors"] or result["wrong_answers"]):
        sys.exit(1)


if __name__ == "__main__":
    main()

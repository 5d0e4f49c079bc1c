"""Fuzz the real server on loopback: N random and mutated requests, counted by status; any 5xx or hang fails.

Run: .venv/bin/python -m bench.fuzz --requests 10000 --seconds 600
The server runs in its own process (`python -m bot serve`, uvicorn on 127.0.0.1) with an API key, over a temporary
corpus (a copy of a few shipped reports), index and data directory: the repository's corpus/ is never touched.
Requests: questions with odd Unicode (lone surrogates, controls, bidi, huge, empty), wrong JSON types, malformed and
deeply nested JSON, histories and filters of every shape, /v1 messages with bad content parts, uploads (broken and
tiny PDFs, broken .docx, zip bombs, lying zip directories, odd encodings, deep HTML, CSV/JSONL exports, long and
hostile names), bad paths and methods, bad auth, chunked bodies over the limit. Uploads that succeed are deleted
again, so the index ends as it began (checked). Server memory (RSS) is read at the start and the end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import struct
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from bench.docx_samples import W, docx, docx_text
from bench.load import rss_mib, server_settings, start_server_process, stop_server_process

ROOT = Path(__file__).resolve().parents[1]
FILES = ("000_ef4fad13e9076686.txt", "001_d6e3f92ae18b423a.txt", "003_d3c98314bfcdc399.txt")
QUESTIONS = ("牡丹江市民政局2009年受理了多少件依申请公开事项?", "那咸宁呢?", "咸宁市2015年城乡低保对象有多少户?",
             "How many applications did the Mudanjiang civil affairs bureau receive in 2009?", "立岗镇2014年累计公开政府信息多少条?",
             "牡丹江市民政局2009年有没有因政府信息公开引起的行政复议或行政诉讼?", "and in 2015?", "合计多少?")
ODD = ("\ud800", "\udfff", "\ud83d", "\ude00", "\x00", "\x1b[31m", "\u200b", "\u202e", "\ufeff", "\uffff", "\U0010ffff",
       "\u0301" * 50, "😀", "𠀀", "\r\n", "\t", "'; DROP TABLE x; --", "<script>alert(1)</script>", "../../etc/passwd",
       "%s%n", "{{7*7}}", "\\", '"', "ﾅﾝﾊﾞｰ", "Ⅻ", "١٢٣", "二〇〇九年", "１４１", "nan", "-1e308", "\u3000")
CHARSETS = ("idna", "punycode", "undefined", "utf-7", "hex", "rot13", "zlib", "utf-32", "x-nonsense", "gb2312", "")
REPORT_TEXT = ("立岗镇人民政府2020年政府信息公开工作年度报告\n一、总体情况\n2020年，本机关主动公开政府信息{n}条，"
               "受理政府信息公开申请{m}件，全部按时办结。\n二、行政复议和行政诉讼情况\n本年度发生行政复议{k}件。\n")


# ---------------------------------------------------------------- payloads
def lying_zip(data: bytes, declared: int = 1000) -> bytes:
    """Every size field of the zip (local headers and directory) says `declared` bytes unpacked."""
    out = bytearray(data)
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = out.find(sig)
        while at >= 0:
            out[at + offset:at + offset + 4] = struct.pack("<I", declared)
            at = out.find(sig, at + 4)
    return bytes(out)


def tiny_pdf(text: str) -> bytes:
    """A valid one-page PDF with one line of Helvetica text (ASCII)."""
    stream = f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode("latin-1")
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 144] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def payloads(work: Path) -> dict[str, bytes]:
    """Files the upload generators start from (built once; the zip bomb takes a few seconds)."""
    real_pdf = (ROOT / "corpus" / "hongze_2024.pdf").read_bytes()
    bomb = docx(f"<w:document {W}><w:body><w:p><w:r><w:t>{' ' * 100_000_000}</w:t></w:r></w:p></w:body></w:document>",
                level=9)
    return {"pdf": tiny_pdf("Annual report on government information disclosure 2020"), "real_pdf": real_pdf,
            "docx": docx(docx_text(REPORT_TEXT.format(n=12, m=3, k=1))), "bomb": bomb, "lying": lying_zip(bomb),
            "many": docx(docx_text("x"), {f"word/media/{i}.bin": b"" for i in range(2500)}),
            "broken_xml": docx("<w:document <<< broken"), "txt": (ROOT / "corpus" / FILES[0]).read_bytes()}


# ---------------------------------------------------------------- random values
def odd_text(rng: random.Random, longest: int = 60) -> str:
    parts = [rng.choice(QUESTIONS) if rng.random() < 0.5 else ""]
    for _ in range(rng.randint(0, 6)):
        parts.insert(rng.randint(0, len(parts)), rng.choice(ODD))
    if rng.random() < 0.1:
        parts.append(chr(rng.randint(1, 0x10FFFF)) * rng.randint(1, longest))
    return "".join(parts)


def any_value(rng: random.Random, depth: int = 0):
    roll = rng.random()
    if depth > 3 or roll < 0.45:
        return rng.choice([None, True, False, 0, -1, 2**70, 1.5, -0.0, "", odd_text(rng), "2015", "x" * 300])
    if roll < 0.75:
        return [any_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {rng.choice(["question", "q", "role", "content", "text", "year", "body", odd_text(rng, 3)]):
            any_value(rng, depth + 1) for _ in range(rng.randint(0, 4))}


def mutate(rng: random.Random, data: bytes, times: int = 3) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, times)):
        if not out:
            break
        at, op = rng.randrange(len(out)), rng.random()
        if op < 0.3:
            out[at] = rng.randrange(256)
        elif op < 0.5:
            del out[at:at + rng.randint(1, 64)]
        elif op < 0.7:
            out[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        elif op < 0.85:
            del out[at:]
        else:
            out[at:at] = out[max(0, at - 200):at]
    return bytes(out)


def dumps(value) -> bytes:
    """JSON with lone surrogates escaped (\\ud800), as browsers send them."""
    return json.dumps(value, ensure_ascii=True).encode()


# ---------------------------------------------------------------- request generators
@dataclass
class Req:
    kind: str
    method: str
    path: str
    kw: dict = field(default_factory=dict)
    timeout: float = 30


JSON = {"content-type": "application/json"}


def gen_ask(rng: random.Random, ctx: dict) -> Req:
    body: dict = {"question": odd_text(rng) if rng.random() < 0.6 else rng.choice(QUESTIONS)}
    roll = rng.random()
    if roll < 0.3:
        body["history"] = [rng.choice([odd_text(rng), {"question": odd_text(rng)}, [odd_text(rng), "a"],
                                       any_value(rng)]) for _ in range(rng.randint(0, 8))]
    elif roll < 0.45:
        body["history"] = any_value(rng)
    if rng.random() < 0.25:
        body["filters"] = rng.choice([{"year": rng.choice([2009, 2015, "2015", "x", -5, 10**30, 1.5, None]),
                                       "body": rng.choice([None, "", "咸宁", odd_text(rng), 5])}, any_value(rng)])
    if rng.random() < 0.2:
        body[rng.choice(["question", "history", "filters", "extra"])] = any_value(rng)
    if rng.random() < 0.03:
        body["question"] = rng.choice(QUESTIONS) * rng.randint(100, 1500)  # over the length and body limits
    return Req("ask", "POST", "/api/ask", {"content": dumps(body), "headers": JSON})


def gen_raw_json(rng: random.Random, ctx: dict) -> Req:
    base = dumps({"question": rng.choice(QUESTIONS), "history": [rng.choice(QUESTIONS)]})
    depth = rng.choice([10, 1000, 20000, 30000])
    body = rng.choice([mutate(rng, base), base[:rng.randrange(len(base))], b"", b"null", b"[]", b"1e999999",
                       b'{"question": "\xff\xfe"}', b"[" * depth + b"]" * depth, b'{"a":' * depth + b"1" + b"}" * depth,
                       bytes(rng.randrange(256) for _ in range(rng.randint(1, 300))), b'{"question": NaN}',
                       b'{"question": "a", "question": 5}'])
    path = rng.choice(["/api/ask", "/v1/chat/completions", "/api/documents"])
    ctype = rng.choice(["application/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
                        "application/json; charset=gbk", ""])
    return Req("raw_json", "POST", path, {"content": body, "headers": {"content-type": ctype} if ctype else {}})


def _v1_message(rng: random.Random):
    part = rng.choice([{"type": "text", "text": rng.choice([odd_text(rng), rng.choice(QUESTIONS)])},
                       {"type": "text", "text": any_value(rng)}, {"type": "image_url", "image_url": {"url": "x"}},
                       {"text": odd_text(rng)}, any_value(rng)])
    content = rng.choice([rng.choice(QUESTIONS), odd_text(rng), [part], [part, part], None, 5, any_value(rng)])
    return rng.choice([{"role": "user", "content": content}, {"role": rng.choice(["system", "assistant", "tool",
                       odd_text(rng, 3), 7]), "content": content}, any_value(rng)])


def gen_v1(rng: random.Random, ctx: dict) -> Req:
    body = {"model": rng.choice(["govinfo-bot", odd_text(rng), None, 5]),
            "messages": [_v1_message(rng) for _ in range(rng.randint(0, 5))]}
    if rng.random() < 0.3:
        body["messages"].append({"role": "user", "content": rng.choice(QUESTIONS)})
    if rng.random() < 0.3:
        body["stream"] = rng.choice([True, False, "yes", None, 1])
    if rng.random() < 0.1:
        body["messages"] = any_value(rng)
    if rng.random() < 0.1:
        body.update({"temperature": any_value(rng), "n": any_value(rng), "tools": any_value(rng)})
    path = "/v1/chat/completions" if rng.random() < 0.95 else "/v1/models"
    return Req("v1", "POST" if path.endswith("completions") else rng.choice(["GET", "POST"]), path,
               {"content": dumps(body), "headers": JSON})


def _upload_file(rng: random.Random, ctx: dict) -> tuple[str, bytes]:
    """A file to upload: mostly broken; a few real reports (and mutants that still read) while the budget of
    accepted uploads lasts (each costs two index writes), after that only files that cannot be indexed."""
    p = ctx["payloads"]
    budget = ctx["writes_left"] > 0 and not ctx["writing"]  # one upload that may be indexed at a time: no queue
    if budget and rng.random() < ctx["valid_share"]:
        ctx["writing"] = True
        text = REPORT_TEXT.format(n=rng.randint(1, 10**6), m=rng.randint(1, 999), k=rng.randint(0, 9))
        kind = rng.choice(["txt", "docx", "pdf"])
        data = {"txt": text.encode(rng.choice(["utf-8", "gbk", "utf-16"])), "docx": docx(docx_text(text)),
                "pdf": tiny_pdf(f"Disclosure report {rng.randint(1, 10**9)} applications {rng.randint(1, 99)}")}[kind]
        return f"fuzz_{rng.randrange(10**9)}.{kind}", data
    kind = rng.choice(["pdf", "pdf", "real_pdf", "docx", "bomb", "lying", "many", "broken_xml", "txt", "html",
                       "csv", "jsonl", "random"])
    hostile = kind in ("bomb", "lying", "many", "broken_xml", "random", "real_pdf")
    data = _broken(rng, kind, p) if budget or hostile else _unreadable(rng, kind, p)
    ctx["writing"] = ctx["writing"] or (budget and not hostile)
    suffix = {"real_pdf": "pdf", "bomb": "docx", "lying": "docx", "many": "docx", "broken_xml": "docx",
              "random": rng.choice(["txt", "pdf", "docx", "html", "csv", "jsonl", "exe", ""])}.get(kind, kind)
    return _odd_name(rng, suffix), data


def _broken(rng: random.Random, kind: str, p: dict) -> bytes:
    """A damaged or hostile file of `kind`; mutants of real files may still read (and are then indexed)."""
    if kind == "html":
        return rng.choice([b"<div>" * 50000 + "某县2020年政府信息公开工作年度报告".encode() + b"</div>" * 50000,
                           "<html><meta charset=big5><body>報告</body></html>".encode("big5"), b"<html>" + b"\x00" * 40,
                           f"<html><meta charset={rng.choice(CHARSETS)}><body>".encode() + b"\xff\xfe</body></html>",
                           mutate(rng, b"<html><body><p>2020\xe5\xb9\xb4</p><table><tr><td>1</td></tr></table></html>")])
    if kind == "csv":
        return rng.choice([b'\xef\xbb\xbf\xe6\xa0\x87\xe9\xa2\x98,\xe5\x86\x85\xe5\xae\xb9\n"' + b"x" * 200000,
                           b"a,b\n" + b'"' * 1000, mutate(rng, "标题,内容\n某县2020年政府信息公开工作年度报告,正文\n".encode())])
    if kind == "jsonl":
        return rng.choice([b"[" * 100000 + b"]" * 100000, b'{"title": 5, "content": []}\n', mutate(rng, dumps(
            {"标题": "某县2020年政府信息公开工作年度报告", "内容": REPORT_TEXT.format(n=1, m=2, k=3)}))])
    if kind == "random":
        return bytes(rng.randrange(256) for _ in range(rng.randint(0, 2000)))
    if kind == "real_pdf":  # a truncated real report (its mutants parse for seconds)
        return mutate(rng, p[kind], 6)[:rng.randrange(1, len(p[kind]))]
    return p[kind] if kind in ("bomb", "lying", "many", "broken_xml") else mutate(rng, p[kind], 6)


def _unreadable(rng: random.Random, kind: str, p: dict) -> bytes:
    """A file of `kind` that cannot be indexed whatever the mutation: cut short, binary, or nested too deep."""
    if kind in ("pdf", "docx"):
        return mutate(rng, p[kind][:rng.randrange(8, 120)], 2)
    if kind == "txt":
        return b"\x00\x01" * rng.randint(20, 500) + mutate(rng, p["txt"][:200], 3)
    if kind == "html":
        return b"<html>" + b"\x00" * rng.randint(20, 400) + mutate(rng, b"<body></body>", 2)
    if kind == "csv":
        return b"a,b\n" + b'"' * rng.randint(10, 2000)
    return b"[" * rng.randint(2000, 100000) + b"]" * 10


def _odd_name(rng: random.Random, suffix: str) -> str:
    stem = rng.choice(["report", "长" * rng.randint(80, 200), "../../../etc/passwd", "..", ".hidden", "a/b\\c",
                       "con", "x" * 300, odd_text(rng, 5), "", " ", "名字 with spaces", "manifest.json", "%2e%2e"])
    name = f"{stem}.{suffix}" if suffix else stem
    # multipart names travel as UTF-8: a lone surrogate cannot be sent, its UTF-8 bytes read as Latin-1 can
    return name.encode("utf-8", "surrogatepass").decode("latin-1") if rng.random() < 0.5 else \
        name.encode("utf-8", "replace").decode("utf-8")


def gen_upload(rng: random.Random, ctx: dict) -> Req:
    writing = ctx["writing"]
    name, data = _upload_file(rng, ctx)
    kind = "upload" if writing or not ctx["writing"] else "upload_may_index"  # this one may be indexed
    field_name = "file" if rng.random() < 0.93 else rng.choice(["files", "upload", ""])
    params = {"replace": rng.choice(["true", "false", "maybe", "1"])} if rng.random() < 0.2 else {}
    auth = {"Authorization": f"Bearer {ctx['key']}"} if rng.random() < 0.9 else rng.choice(
        [{}, {"Authorization": "Bearer wrong"}, {"X-API-Key": ctx["key"][:-1]}])
    files = {field_name: (name, data, rng.choice(["application/octet-stream", "text/plain", "application/pdf"]))}
    return Req(kind, "POST", "/api/documents", {"files": files, "params": params, "headers": auth}, timeout=300)


def gen_path(rng: random.Random, ctx: dict) -> Req:
    doc = rng.choice(ctx["doc_ids"] + ["nope", "..", "../../etc/passwd", "%2e%2e%2f%2e%2e", "%00", "%ED%A0%80",
                                       "x" * 5000, "a#1", "a?b", "//", "长" * 300, "\\..\\..", "%25%32%65"])
    path = rng.choice([f"/api/documents/{doc}", f"/source/{doc}", f"/original/{doc}", f"/api/{doc}", f"/v1/{doc}",
                       "/api/documents", "/api/facts", "/api/facts/checks", "/api/status", "/api/health",
                       "/v1/models", "/healthz", "/embed", "/embed.js", "/api/docs", f"/api/docs/assets/{doc}",
                       "/api/openapi.json", f"/{doc}", "/api/ask", "/v1/chat/completions"])
    params = {k: any_value(rng) if rng.random() < 0.5 else rng.choice(["-1", "0", "10" * 20, "abc", ""])
              for k in rng.sample(["start", "end", "offset", "limit", "year", "body", "q", "fragment", "lang",
                                   "format", "table", "row", "column"], rng.randint(0, 4))}
    query = "&".join(f"{quote(k)}={quote((v if isinstance(v, str) else json.dumps(v)).encode('utf-8', 'surrogatepass'))}"
                     for k, v in params.items())
    method = rng.choice(["GET"] * 6 + ["HEAD", "PUT", "PATCH", "OPTIONS", "POST", "TRACE"])
    return Req("path", method, f"{path}?{query}" if query else path,
               {"headers": {"Accept-Language": rng.choice(["en", "zh", "*", "zh-CN;q=abc,,;"])}})


def gen_auth(rng: random.Random, ctx: dict) -> Req:
    headers = rng.choice([{}, {"Authorization": "Bearer"}, {"Authorization": "Bearer "}, {"Authorization": "Basic eDp5"},
                          {"Authorization": "Bearer " + ctx["key"] + "x"}, {"Authorization": "bearer " + ctx["key"][1:]},
                          {"X-API-Key": ""}, {"X-API-Key": "k" * 8000}, {"Authorization": b"Bearer " + b"\xe9" * 10},
                          {"Authorization": b"Bearer \xff\xfe"}, {"X-API-Key": ctx["key"].encode() + b"\x80"}])
    if rng.random() < 0.3:  # the right key on documents that do not exist: 404, nothing removed
        headers = {"Authorization": f"Bearer {ctx['key']}"}
        return Req("auth", "DELETE", f"/api/documents/{rng.choice(['nope', '..', 'x' * 300, '%ED%A0%80'])}",
                   {"headers": headers})
    target = rng.choice(ctx["doc_ids"])  # wrong keys on real documents: 401/403, never a removal
    if rng.random() < 0.5:
        return Req("auth", "DELETE", f"/api/documents/{target}", {"headers": headers})
    return Req("auth", "POST", "/api/documents", {"headers": headers, "files": {"file": ("a.txt", b"x")}})


def gen_big(rng: random.Random, ctx: dict) -> Req:
    size = rng.choice([70_000, 300_000, 2_000_000])

    def chunks():
        yield b'{"question": "'
        for _ in range(size // 10_000):
            yield b"x" * 10_000
        yield b'"}'

    headers = {**JSON, "X-Forwarded-For": ", ".join(f"10.{rng.randrange(256)}.0.{i}" for i in range(rng.randint(1, 5)))}
    return Req("big", "POST", rng.choice(["/api/ask", "/v1/chat/completions"]), {"content": chunks(), "headers": headers})


GENERATORS = ((30, gen_ask), (12, gen_raw_json), (20, gen_v1), (15, gen_upload), (15, gen_path), (5, gen_auth),
              (3, gen_big))


# ---------------------------------------------------------------- running
class Fuzz:
    def __init__(self, url: str, ctx: dict, timeout_factor: float = 1.0):
        self.url, self.ctx, self.factor = url, ctx, timeout_factor
        self.lock = threading.Lock()
        self.status: Counter = Counter()
        self.by_kind: Counter = Counter()
        self.failures: list[str] = []  # 5xx, hangs, transport errors: what was sent
        self.hangs = 0
        self.writes: Counter = Counter()
        self.latency: dict[str, list[float]] = {}  # seconds per request, by kind

    def record(self, req: Req, outcome: str, detail: str = "") -> None:
        with self.lock:
            self.status[outcome] += 1
            self.by_kind[f"{req.kind} {outcome}"] += 1
            if outcome != "not_sent" and (not outcome[0].isdigit() or outcome >= "500"):
                self.failures.append(f"{outcome} {req.kind} {req.method} {req.path[:80]} {detail[:200]}")

    def send(self, http, req: Req) -> None:
        t = time.perf_counter()
        try:
            self._send(http, req)
        finally:
            with self.lock:
                self.latency.setdefault(req.kind, []).append(time.perf_counter() - t)
                if req.kind == "upload_may_index":  # answered (and deleted again): the next may come
                    self.ctx["writing"] = False

    def _send(self, http, req: Req) -> None:
        import httpx

        try:
            r = http.request(req.method, req.path, timeout=req.timeout * self.factor, **req.kw)
        except (httpx.LocalProtocolError, httpx.InvalidURL, UnicodeError) as exc:  # refused by the client itself
            return self.record(req, "not_sent", repr(exc))
        except httpx.TimeoutException as exc:
            with self.lock:
                self.hangs += 1
            return self.record(req, "hang", repr(exc))
        except httpx.TransportError as exc:
            return self.record(req, "transport_error", repr(exc))
        self.record(req, str(r.status_code), r.text[:200])
        if req.kind.startswith("upload") and r.status_code == 201:
            with self.lock:
                self.ctx["writes_left"] -= 1
            self.remove(http, r.json().get("added", []))

    def remove(self, http, ids: list[str]) -> None:
        """Delete what an upload added: the index must end as it began."""
        auth = {"Authorization": f"Bearer {self.ctx['key']}"}
        for doc_id in ids[:1]:  # one file; deleting its first document removes the file's every document
            r = http.delete(f"/api/documents/{quote(doc_id, safe='')}", headers=auth, timeout=300 * self.factor)
            with self.lock:
                self.writes[f"upload 201, delete {r.status_code}"] += 1


def worker(fuzz: Fuzz, seed: int, budget: dict, deadline: float) -> None:
    import httpx

    rng = random.Random(seed)
    weights = [w for w, _ in GENERATORS]
    with httpx.Client(base_url=fuzz.url) as http:
        while time.monotonic() < deadline:
            with fuzz.lock:
                if budget["left"] <= 0:
                    return
                budget["left"] -= 1
            gen = rng.choices([g for _, g in GENERATORS], weights)[0]
            with fuzz.lock:
                req = gen(rng, fuzz.ctx)  # ctx (writes_left) is shared
            fuzz.send(http, req)


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used, from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def set_up(work: Path, files: tuple[str, ...]) -> Path:
    corpus = work / "corpus"
    corpus.mkdir(parents=True)
    for name in files:
        shutil.copy(ROOT / "corpus" / name, corpus)
    return corpus


def snapshot(url: str) -> tuple[list[str], int]:
    import httpx

    docs = httpx.get(url + "/api/documents", params={"limit": 500}, timeout=60).json()
    return sorted(d["id"] for d in docs["documents"]), httpx.get(url + "/api/status", timeout=60).json()["chunks"]


def warm_up(url: str, ctx: dict) -> None:
    """Every code path once before memory is measured (lazy imports of the parsers, the first write's new index
    generation): what the server keeps afterwards is its steady state, not growth."""
    import httpx

    auth = {"Authorization": f"Bearer {ctx['key']}"}
    with httpx.Client(base_url=url, timeout=600) as http:
        for q in QUESTIONS:
            http.post("/api/ask", json={"question": q})
        up = http.post("/api/documents", headers=auth, files={"file": ("warm_up.txt", REPORT_TEXT.format(
            n=1, m=2, k=3).encode())})
        if up.status_code == 201:
            http.delete("/api/documents/warm_up", headers=auth)
        for kind in ("pdf", "real_pdf", "docx", "bomb", "lying", "many", "broken_xml"):
            suffix = {"pdf": "pdf", "real_pdf": "pdf"}.get(kind, "docx")
            data = ctx["payloads"][kind][:-100] if kind in ("pdf", "real_pdf", "docx") else ctx["payloads"][kind]
            http.post("/api/documents", headers=auth, files={"file": (f"warm_{kind}.{suffix}", data)})


def run(args, work: Path) -> dict:
    key = f"fuzz-{random.Random(args.seed).randrange(10**12)}"
    corpus = set_up(work, tuple(args.files))
    url, proc = start_server_process(server_settings(work, corpus, key), work / "server.log")
    try:

        rss_ready = rss_mib(proc.pid)
        before = snapshot(url)
        ctx = {"key": key, "doc_ids": before[0], "payloads": payloads(work), "writes_left": args.max_writes,
               "valid_share": 0.1, "writing": False}
        warm_up(url, ctx)
        rss_start = rss_mib(proc.pid)
        fuzz = Fuzz(url, ctx, args.timeout_factor)
        budget = {"left": args.requests}
        server_cpu0, client_cpu0 = cpu_seconds(proc.pid), time.process_time()
        t0 = time.monotonic()
        threads = [threading.Thread(target=worker, args=(fuzz, args.seed * 1000 + k, budget, t0 + args.seconds))
                   for k in range(args.workers)]
        for t in threads:
            t.start()
        peak = rss_start
        while any(t.is_alive() for t in threads):
            threads[0].join(5)
            peak = max(peak, rss_mib(proc.pid))
        elapsed = time.monotonic() - t0
        after = snapshot(url)
        rss_end = rss_mib(proc.pid)
        cpu = {"server": round(cpu_seconds(proc.pid) - server_cpu0, 1),
               "fuzz_client": round(time.process_time() - client_cpu0, 1)}
        alive = proc.poll() is None
    finally:
        stop_server_process(proc)
    sent = sum(fuzz.status.values())
    return {"requests": sent, "seconds": round(elapsed, 1), "rate_per_s": round(sent / elapsed, 1),
            "by_status": dict(sorted(fuzz.status.items())), "hangs": fuzz.hangs,
            "server_5xx": sum(v for k, v in fuzz.status.items() if k[0] == "5"),
            "rss_mib": {"ready": round(rss_ready, 1), "start": round(rss_start, 1), "peak": round(peak, 1),
                        "end": round(rss_end, 1)},
            "cpu_seconds": cpu, "uploads_deleted": dict(fuzz.writes), "index_unchanged": before == after, "server_alive": alive,
            "failures": fuzz.failures[:20], "by_kind": dict(sorted(fuzz.by_kind.items())),
            "seconds_by_kind": {k: {"n": len(v), "p50": round(sorted(v)[len(v) // 2], 2),
                                    "p95": round(sorted(v)[int(len(v) * 0.95)], 2), "max": round(max(v), 2)}
                                for k, v in sorted(fuzz.latency.items())}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=10_000)
    ap.add_argument("--seconds", type=float, default=600, help="stop sending after this long, whatever is left")
    ap.add_argument("--workers", type=int, default=6, help="concurrent clients")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--max-writes", type=int, default=10, help="uploads meant to succeed (each costs an index update)")
    ap.add_argument("--timeout-factor", type=float, default=1.0, help="scale the per-request time limits")
    ap.add_argument("--files", nargs="+", default=list(FILES), help="corpus reports copied into the fuzzed corpus")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory (server log, index)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bot-fuzz-"))
    try:
        result = run(args, work)
    finally:
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    bad = result["server_5xx"] or result["hangs"] or not result["index_unchanged"] or not result["server_alive"]
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()

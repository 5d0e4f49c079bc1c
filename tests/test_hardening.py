"""Issue 11, "nothing lost, nothing stalls, no 500": every bad input is a 4xx in the one error shape, bodies are
counted as they arrive, the limiter is bounded and trusts only configured proxies, reads answer during writes,
start-up repairs what a crash left, and no public answer names a server path. Real app, real files."""

import contextlib
import hashlib
import json
import os
import shutil
import threading
import time
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from bench.docx_samples import W, docx, docx_text
from tests.conftest import small_service

pytestmark = pytest.mark.slow
CORPUS = Path(__file__).parents[1] / "corpus"
KEY = "hardening-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
QUESTION = "牡丹江市民政局2009年受理了多少件依申请公开事项?"
def report(n: int) -> bytes:
    """A small real report of the shipped corpus's town (its names are in the index already)."""
    return (f"立岗镇人民政府20{n}年政府信息公开工作年度报告\n一、概述\n20{n}年，本镇累计公开政府信息{n}00条。\n"
            f"二、依申请公开情况\n本年度受理政府信息公开申请{n}件。\n").encode()


LIGANG = "003_d3c98314bfcdc399"
LIGANG_Q = "立岗镇2014年累计公开政府信息多少条?"


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    """A server over one shipped report, for the identity, versioning and crash-repair findings."""
    from fastapi.testclient import TestClient

    from bot.serve import create_app

    cfg, service = small_service(tmp_path_factory.mktemp("library"), files=(f"{LIGANG}.txt",), api_key=KEY,
                                 rate_limit_per_minute=100_000, max_upload_bytes=2_000_000)
    with TestClient(create_app(cfg, service=service), raise_server_exceptions=False) as client:
        yield client, cfg, service


def upload(client, name: str, data: bytes, replace: bool = False) -> httpx.Response:
    return client.post("/api/documents", files={"file": (name, data)}, headers=AUTH,
                       params={"replace": "true"} if replace else {})


def versions(cfg, stem: str, suffix: str) -> list[bytes]:
    return sorted(p.read_bytes() for p in (cfg.data_dir / ".deleted").glob(f"{stem}.*{suffix}"))


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    from fastapi.testclient import TestClient

    from bot.serve import create_app

    base = tmp_path_factory.mktemp("hardening")
    cfg, service = small_service(base, api_key=KEY, rate_limit_per_minute=100_000, max_body_bytes=8192,
                                 max_upload_bytes=2_000_000)
    with TestClient(create_app(cfg, service=service), raise_server_exceptions=False) as client:
        yield client, cfg, service, base


def assert_error(r: httpx.Response, status: int, kind: str | None = None) -> dict:
    assert r.status_code == status, r.text
    err = r.json()["error"]
    assert set(err) == {"type", "message"} and err["message"]
    if kind:
        assert err["type"] == kind
    return err


def raw_json(client, path: str, text: str) -> httpx.Response:
    """POST a JSON body written by hand (lone surrogates escaped as \\ud800, as a browser may send them)."""
    return client.post(path, content=text.encode(), headers={"content-type": "application/json"})


def test_lone_surrogates_in_questions_and_histories_are_answered(env):
    client = env[0]
    r = raw_json(client, "/api/ask", '{"question": "\\ud800牡丹江市民政局2009年受理了多少件依申请公开事项?\\udfff",'
                                      ' "history": ["\\ud800", {"question": "\\udc00咸宁"}, ["\\ud800x", "\\ud800"]]}')
    assert r.status_code == 200 and r.json()["answer"].startswith("141")
    assert_error(raw_json(client, "/api/ask", '{"question": "\\udfff\\ud800"}'), 400, "BadQuestionError")
    v1 = raw_json(client, "/v1/chat/completions", '{"model": "m\\ud800", "messages": [{"role": "user", "content": '
                  '"\\ud800咸宁"}, {"role": "user", "content": [{"type": "text", "text": "\\ud83d那牡丹江呢?"}]}]}')
    assert v1.status_code == 200 and v1.json()["model"] == "m"
    streamed = raw_json(client, "/v1/chat/completions", '{"model": "\\ud800", "stream": true, "messages": '
                        '[{"role": "user", "content": "\\ud800牡丹江市民政局2009年受理了多少件?"}]}')
    assert streamed.status_code == 200 and streamed.text.rstrip().endswith("data: [DONE]")


def test_v1_content_parts_of_wrong_shape_are_ignored_or_refused(env):
    client = env[0]
    for odd in (5, None, [1, 2], {"a": 1}, 1.5):
        r = client.post("/v1/chat/completions", json={"messages": [
            {"role": "user", "content": [{"type": "text", "text": odd}, {"type": "text", "text": QUESTION}]}]})
        assert r.status_code == 200 and "141" in r.json()["choices"][0]["message"]["content"]
    assert_error(client.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": [{"text": 1}]}]}),
                 400, "BadQuestionError")
    for bad in ({"messages": [{"role": "user", "content": 5}]}, {"messages": "hi"}, {"messages": [["user", "q"]]},
                {"messages": [{"role": 1, "content": "q"}]}, {}):
        assert_error(client.post("/v1/chat/completions", json=bad), 422, "ValidationError")


def test_bad_docx_files_are_422_naming_the_file_and_nothing_is_written(env):
    client, cfg = env[0], env[1]
    cases = {"broken_xml.docx": docx("<w:document <<< broken"),
             "broken_types.docx": docx(f"<w:document {W}/>", types="<<<"),
             "not_word.docx": docx("<a/>"), "no_body.docx": docx(f"<w:document {W}/>"),
             "truncated.docx": docx(f"<w:document {W}><w:body/></w:document>")[:300],
             "bomb.docx": docx(f"<w:document {W}><w:body><w:p><w:r><w:t>{' ' * 60_000_000}</w:t></w:r></w:p>"
                                     "</w:body></w:document>"),
             "many_parts.docx": docx(f"<w:document {W}/>", {f"word/media/{i}.bin": b"" for i in range(2100)})}
    assert len(cases["bomb.docx"]) < 200_000  # 60 MB unpacked from a small upload
    before = sorted(p.name for p in cfg.data_dir.rglob("*")) if cfg.data_dir.exists() else []
    for name, data in cases.items():
        err = assert_error(client.post("/api/documents", files={"file": (name, data)}, headers=AUTH), 422, "ReadError")
        assert name in err["message"]
    assert "unpack to 57 MB" in client.post("/api/documents", files={"file": ("b.docx", cases["bomb.docx"])},
                                            headers=AUTH).json()["error"]["message"]
    after = sorted(p.name for p in cfg.data_dir.rglob("*")) if cfg.data_dir.exists() else []
    assert after == before


def test_the_zip_directory_is_checked_before_anything_is_inflated():
    from bot.errors import ReadError
    from bot.ingest.zipcheck import check_zip

    small = docx(f"<w:document {W}/>")
    check_zip(small, "ok.docx")
    with pytest.raises(ReadError, match="limit is 1 MB"):
        check_zip(docx("x" * (2 * 1024 * 1024)), "big.docx", max_bytes=1024 * 1024)
    with pytest.raises(ReadError, match="parts inside"):
        check_zip(small, "few.docx", max_entries=2)
    with pytest.raises(ReadError, match="damaged zip"):
        check_zip(small[:100], "cut.docx")


def test_broken_pdf_html_and_txt_uploads_are_422_naming_the_file(env):
    client = env[0]
    for name, data in {"x.pdf": b"%PDF-1.4\n garbage \x00\xff", "scan.pdf": b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF",
                       "y.html": b"\x00" * 100 + b"<html>", "z.txt": b"PK\x03\x04" + b"\x00" * 50,
                       "e.txt": b"   ", "w.exe": b"MZ\x90\x00"}.items():
        err = assert_error(client.post("/api/documents", files={"file": (name, data)}, headers=AUTH), 422)
        assert name in err["message"] or Path(name).stem in err["message"]


def test_long_upload_names_are_shortened_and_temp_names_fit(env, tmp_path):
    from bot.files import atomic_write, temp_name

    client, cfg = env[0], env[1]
    name = "长" * 100 + ".txt"  # 304 bytes in UTF-8
    up = client.post("/api/documents", files={"file": (name, (CORPUS / "shuyang_fgj_2023.txt").read_bytes())},
                     headers=AUTH)
    assert up.status_code == 201, up.text
    stored = [p for p in cfg.data_dir.iterdir() if p.name.startswith("长")]
    assert len(stored) == 1 and len(stored[0].name.encode()) <= 255
    assert client.delete(f"/api/documents/{up.json()['added'][0]}", headers=AUTH).status_code == 200
    longest = "档" * 83 + ".txt"  # 253 bytes: the file fits, `.name.tmp-<pid>` would not
    assert len(temp_name(longest).encode()) <= 255 and ".tmp-" in temp_name(longest)
    atomic_write(tmp_path / longest, "text")
    assert [p.name for p in tmp_path.iterdir()] == [longest]


def test_404_405_and_malformed_json_keep_the_error_shape(env):
    client = env[0]
    assert_error(client.get("/api/nothing"), 404, "NotFound")
    assert_error(client.get("/v1/nothing"), 404, "NotFound")
    err = client.put("/api/ask", json={"question": "q"})
    assert_error(err, 405, "MethodNotAllowed") and err.headers["allow"] == "POST"
    assert_error(client.get("/v1/chat/completions"), 405, "MethodNotAllowed")
    assert_error(client.post("/api/health"), 405, "MethodNotAllowed")
    assert_error(client.patch("/api/documents/x"), 405, "MethodNotAllowed")
    assert_error(client.options("/api/ask"), 405)
    for body in (b'{"question": ', b"\xff\xfe", b"[1, 2]", b"null", b'{"question": 5}'):
        assert_error(client.post("/api/ask", content=body, headers={"content-type": "application/json"}), 422)


def test_chunked_body_over_the_limit_is_413_without_a_length(env):
    client = env[0]

    def chunks():
        for _ in range(40):
            yield b'{"question": "' + b"x" * 1000

    r = client.post("/api/ask", content=chunks(), headers={"content-type": "application/json"})
    assert "content-length" not in r.request.headers
    assert_error(r, 413, "PayloadTooLarge")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert client.post("/api/ask", json={"question": QUESTION}).status_code == 200


def test_forwarded_for_is_believed_only_from_trusted_proxies(env):
    from fastapi.testclient import TestClient

    from bot.serve import create_app

    _, cfg, service, _ = env
    for trusted in ((), ("testclient",)):
        app = create_app(replace(cfg, rate_limit_per_minute=2, trusted_proxies=trusted), service=service)
        with TestClient(app) as client:
            codes = [client.post("/api/ask", json={"question": "x"}, headers={"X-Forwarded-For": f"10.0.0.{i}"})
                     .status_code for i in range(4)]
            spoofed = client.post("/api/ask", json={"question": "x"}, headers={"X-Forwarded-For": "10.0.0.9, 1.2.3.4"})
        if trusted:  # each forwarded client has its own bucket; the nearest untrusted hop counts
            assert 429 not in codes and spoofed.status_code == 200
        else:  # the peer is the client, whatever the header says
            assert codes == [200, 200, 429, 429]
            assert_error(spoofed, 429, "RateLimited") and int(spoofed.headers["retry-after"]) >= 1


def test_the_limiter_table_is_bounded_and_keeps_recent_clients():
    from bot.serve.limits import RateLimiter, client_address

    limiter = RateLimiter(per_minute=1, max_clients=100)
    assert limiter.take("busy") == 0 and limiter.take("busy") > 0
    for i in range(5000):
        limiter.take(f"10.1.{i // 256}.{i % 256}")
        if i % 50 == 0:
            assert limiter.take("busy") > 0  # recently seen: never the one dropped
    assert len(limiter) <= 100
    scope = {"client": ("10.9.9.9", 1), "headers": [(b"x-forwarded-for", b"1.1.1.1, 10.9.9.8")]}
    assert client_address(scope, frozenset()) == "10.9.9.9"
    assert client_address(scope, frozenset({"10.9.9.9"})) == "10.9.9.8"
    assert client_address(scope, frozenset({"10.9.9.9", "10.9.9.8"})) == "1.1.1.1"
    assert client_address({**scope, "headers": [(b"x-forwarded-for", b"junk")]}, frozenset({"10.9.9.9"})) == "10.9.9.9"


def test_reads_keep_answering_while_an_upload_runs(env):
    """Finding: parsing, embedding and writing ran on the event loop, so every request (health too) waited 8 s for
    an upload. A real uvicorn server: one thread uploads a real report while the test keeps asking; health and asks
    must come back during the upload, with the answer of before. (Latency is measured by `bench.load --write`.)"""
    from bot.serve import create_app, serve_in_background

    _, cfg, service, _ = env
    url, server = serve_in_background(create_app(cfg, service=service))
    result: dict = {}

    def upload():
        data = (CORPUS / "003_d3c98314bfcdc399.txt").read_bytes()
        t = time.monotonic()
        result["r"] = httpx.post(f"{url}/api/documents", files={"file": ("concurrent_copy.txt", data)},
                                 headers=AUTH, timeout=300)
        result["seconds"] = time.monotonic() - t

    try:
        with httpx.Client(base_url=url, timeout=60) as client:
            client.get("/api/health")
            writer = threading.Thread(target=upload)
            writer.start()
            errors, answers, during = [], set(), []
            while writer.is_alive() or not answers:
                t = time.monotonic()
                h = client.get("/api/health")
                if writer.is_alive():
                    during.append(time.monotonic() - t)
                a = client.post("/api/ask", json={"question": QUESTION})
                errors += [r.status_code for r in (h, a) if r.status_code != 200]
                answers.add(a.json().get("short") if a.status_code == 200 else None)
            writer.join()
        assert result["r"].status_code == 201, result["r"].text
        assert errors == [] and len(answers) == 1 and None not in answers, answers
        assert len(during) >= 3 and max(during) < max(1.0, result["seconds"] / 2), (during, result["seconds"])
        assert "concurrent_copy" in {d.id for d in service.documents()}
        assert httpx.delete(f"{url}/api/documents/concurrent_copy", headers=AUTH, timeout=300).status_code == 200
    finally:
        server.should_exit = True


def test_start_up_repairs_what_a_crash_left(env):
    from bot.serve import create_app

    client, cfg, service, _ = env
    up = client.post("/api/documents", files={"file": ("crashed.txt", (CORPUS / "shanghai_kewei_2024.txt").read_bytes())},
                     headers=AUTH)
    assert up.status_code == 201, up.text
    data = cfg.data_dir
    (data / "crashed.txt").replace(data / ".crashed.txt.old")  # a delete killed before the index committed
    (data / ".retired.txt.old").write_text("an old version whose replacement went through", encoding="utf-8")
    dead = [data / ".x.txt.tmp-999999999", cfg.index_dir / ".manifest.json.tmp-999999998"]
    live = data / f".y.txt.tmp-{os.getpid()}"  # a writer of this process is still running: left alone
    for p in dead + [live]:
        p.write_bytes(b"half")
    create_app(cfg, service=service)  # the server repairs at start-up
    assert (data / "crashed.txt").exists() and not (data / ".crashed.txt.old").exists()
    assert not (data / ".retired.txt.old").exists()
    assert [p.read_text(encoding="utf-8") for p in (data / ".deleted").glob("retired.*.txt")] == [
        "an old version whose replacement went through"]
    assert not any(p.exists() for p in dead) and live.exists()
    live.unlink()
    assert client.delete("/api/documents/crashed", headers=AUTH).status_code == 200


def test_public_answers_name_no_server_path(env):
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from bot.errors import IndexMissingError
    from bot.serve.errors import install

    client, cfg, _, base = env
    for path in ("/api/health", "/api/status", "/api/documents"):
        body = client.get(path).text
        assert str(base) not in body and str(cfg.index_dir) not in body and "index_dir" not in body
    app = FastAPI()
    install(app)

    @app.get("/missing")
    def missing():
        raise IndexMissingError(f"no index in {cfg.index_dir}: run `python -m bot index build`")

    err = assert_error(TestClient(app).get("/missing"), 503, "IndexMissingError")
    assert str(base) not in err["message"] and err["message"].startswith("no index in index:")
    assert json.loads(client.get("/api/health").text)["status"] == "ready"


def test_same_name_uploads_are_409_and_every_replaced_or_deleted_version_is_kept(lib):
    """Finding: an upload under an existing name overwrote the report and kept the old bytes nowhere; deleting two
    files of the same name in turn overwrote the first in the deleted area."""
    client, cfg, _ = lib
    v = [report(n) for n in (11, 22, 33)]
    assert upload(client, "ligang_2011.txt", v[0]).json() == {"added": ["ligang_2011"]}
    for name in ("ligang_2011.txt", "ligang_2011.html"):  # same file name, or same id under another suffix
        err = assert_error(upload(client, name, v[1]), 409, "ConflictError")
        assert "ligang_2011.txt" in err["message"] and "replace=true" in err["message"]
    assert client.get("/api/documents/ligang_2011").json()["text"].count("1100条")
    assert upload(client, "ligang_2011.txt", v[1], replace=True).status_code == 201
    assert "2200条" in client.get("/api/documents/ligang_2011").json()["text"]
    assert versions(cfg, "ligang_2011", ".txt") == [v[0]]  # the replaced version, kept
    assert client.delete("/api/documents/ligang_2011", headers=AUTH).status_code == 200
    assert upload(client, "ligang_2011.txt", v[2]).status_code == 201
    assert client.delete("/api/documents/ligang_2011", headers=AUTH).status_code == 200
    assert versions(cfg, "ligang_2011", ".txt") == sorted(v)  # two deletes of one name: both versions kept
    assert_error(client.get("/api/documents/ligang_2011"), 404, "NotFoundError")


def test_a_copy_under_another_name_is_indexed_under_its_own_id(lib):
    """Finding: the parse cache was keyed by content, so `cp hongze_2023.pdf hz_copy.pdf; index update` added
    nothing and mapped hz_copy.pdf to hongze_2023; the upload API said "added hz_copy" and then 404."""
    client, cfg, service = lib
    src = cfg.corpus_dir / f"{LIGANG}.txt"
    err = assert_error(upload(client, "ligang_copy.txt", src.read_bytes()), 409, "ConflictError")
    assert LIGANG in err["message"]  # the same bytes over HTTP: refused, naming the report that has them
    shutil.copy(src, cfg.corpus_dir / "ligang_copy.txt")
    try:
        assert service.update()["added"] == ["ligang_copy"]
        copy = client.get("/api/documents/ligang_copy")
        assert copy.status_code == 200 and copy.json()["file"] == "ligang_copy.txt"
        assert client.get(f"/api/documents/{LIGANG}").json()["file"] == f"{LIGANG}.txt"
    finally:
        (cfg.corpus_dir / "ligang_copy.txt").unlink()
        assert service.update()["removed"] == ["ligang_copy"]


def test_start_up_sets_aside_what_the_index_never_took(lib):
    """Finding: `kill -9` of the server during an upload left the file in the corpus, unindexed (and a replace or
    a removal killed before the index switched left files and index disagreeing)."""
    from bot.library import hidden
    from bot.serve import create_app

    client, cfg, service = lib
    data = cfg.data_dir
    assert upload(client, "kept.txt", report(44)).status_code == 201
    (data / "killed.txt").write_bytes(report(55))  # an upload killed before the index switched
    (data / "kept.txt").replace(data / ".kept.txt.old")  # a replace killed before the switch: old moved aside,
    (data / "kept.txt").write_bytes(report(66))  # the new version written
    shipped = cfg.corpus_dir / f"{LIGANG}.txt"  # a removal of a shipped report killed before the switch
    (data / "hidden.json").write_text(json.dumps({shipped.name: hashlib.sha256(shipped.read_bytes()).hexdigest()}))
    assert service.status()["stale"]
    create_app(cfg, service=service)  # start-up repair
    assert (data / "kept.txt").read_bytes() == report(44) and not (data / ".kept.txt.old").exists()
    assert versions(cfg, "killed", ".txt") == [report(55)] and not (data / "killed.txt").exists()
    assert versions(cfg, "kept", ".txt") == [report(66)]
    assert hidden(cfg) == {} and not service.status()["stale"]
    assert client.post("/api/ask", json={"question": LIGANG_Q}).json()["answer"].startswith("547")
    assert client.delete("/api/documents/kept", headers=AUTH).status_code == 200


def test_a_shipped_id_under_another_suffix_is_409_and_replace_then_delete_loses_nothing(lib):
    """Finding: uploading huaian_2024.txt hid the shipped huaian_2024.pdf (answers went wrong, `stale` stayed
    false); a following DELETE moved the real PDF away and left the bogus .txt indexed."""
    client, cfg, _ = lib
    shipped = cfg.corpus_dir / f"{LIGANG}.txt"
    before = shipped.read_bytes()
    fake = docx_lines(["某镇2014年政府信息公开工作年度报告", "一、概述", "本年度累计公开政府信息2条。"])
    err = assert_error(upload(client, f"{LIGANG}.docx", fake), 409, "ConflictError")
    assert f"{LIGANG}.txt" in err["message"]
    ask = client.post("/api/ask", json={"question": LIGANG_Q}).json()
    assert ask["answer"].startswith("547") and ask["citations"][0]["source"] == LIGANG
    assert client.get("/api/status").json()["stale"] is False
    assert upload(client, f"{LIGANG}.docx", fake, replace=True).json() == {"added": [LIGANG]}  # said: replace
    assert client.get(f"/api/documents/{LIGANG}").json()["file"] == f"{LIGANG}.docx"
    assert "547" not in client.post("/api/ask", json={"question": LIGANG_Q}).json()["answer"]
    assert client.delete(f"/api/documents/{LIGANG}", headers=AUTH).json() == {"removed": [LIGANG]}
    assert versions(cfg, LIGANG, ".docx") == [fake] and shipped.read_bytes() == before  # both kept
    assert client.get("/api/status").json()["documents"] == 0  # the last report gone: an empty index still answers
    assert client.post("/api/ask", json={"question": LIGANG_Q}).json()["found"] is False
    assert upload(client, f"{LIGANG}.txt", before).status_code == 201  # the shipped report, back by upload
    assert client.post("/api/ask", json={"question": LIGANG_Q}).json()["answer"].startswith("547")


def test_a_damaged_manifest_is_repaired_by_build_update_and_start_up(tmp_path):
    """Finding: with manifest.json truncated (or `documents` of the wrong type) `index build`, `index update` and
    server start-up re-embedded everything and then failed (or raised AttributeError); a manifest.json.tmp-<pid>
    left by a kill was never removed."""
    from click.testing import CliRunner

    from bot.cli import cli
    from bot.errors import IndexMissingError
    from bot.serve.state import AppState
    from bot.service import Service
    from bot.store.manifest import Manifest

    cfg, _ = small_service(tmp_path, files=(f"{LIGANG}.txt",))
    manifest = cfg.index_dir / "manifest.json"
    good = json.loads(manifest.read_text(encoding="utf-8"))
    damage = {"truncated": manifest.read_text(encoding="utf-8")[:40], "documents list": {**good, "documents": [1, 2]},
              "documents of numbers": {**good, "documents": {"a": 5}}, "generation text": {**good, "generation": "7"},
              "vocabulary number": {**good, "vocabulary": 5}, "null": None, "binary": b"\xff\x00\xfe"}
    for content in damage.values():
        write = manifest.write_bytes if isinstance(content, bytes) else manifest.write_text
        write(content if isinstance(content, (str, bytes)) else json.dumps(content))
        with pytest.raises(IndexMissingError, match="index build"):
            Manifest.load(cfg.index_dir)
        with pytest.raises(IndexMissingError, match="index build"):
            Service.open(cfg)
    manifest.write_text(damage["truncated"])
    leftovers = [cfg.index_dir / "manifest.json.tmp-999999995", cfg.index_dir / ".manifest.json.tmp-999999994"]
    for p in leftovers:
        p.write_text("{")
    run = CliRunner().invoke(cli, ["index", "build", "--corpus", str(cfg.corpus_dir), "--index", str(cfg.index_dir)])
    assert run.exit_code == 0, run.output
    assert not any(p.exists() for p in leftovers) and list(cfg.index_dir.glob("manifest.json.damaged-*"))
    manifest.write_text(json.dumps(damage["documents list"]))
    assert Service(cfg).update()["documents"] == 1  # `index update`
    manifest.write_text(json.dumps(damage["vocabulary number"]))
    state = AppState(cfg)
    state.open_service()  # server start-up
    assert state.status == "ready" and [d.id for d in state.get_service().documents()] == [LIGANG]
    assert len(list(cfg.index_dir.glob("manifest.json.damaged-*"))) >= 2


@pytest.mark.parametrize("after", [0.5, 2.5, 5.0])
def test_a_write_killed_midway_leaves_files_and_index_agreeing(lib, after):
    """Finding: `kill -9` during an upload left the file in the corpus, unindexed. Writes now run in a child
    process: kill it at some point of an upload; the server answers 503 (or 201 if it had finished), and afterwards
    every report file is indexed and every indexed report has its file."""
    import signal

    def writers() -> list[int]:
        pids = []
        for status in Path("/proc").glob("[0-9]*/status"):
            with contextlib.suppress(OSError):
                ppid = next(l for l in status.read_text().splitlines() if l.startswith("PPid:")).split()[1]
                cmd = (status.parent / "cmdline").read_bytes()
                if int(ppid) == os.getpid() and b"bot.serve.writer" in cmd:
                    pids.append(int(status.parent.name))
        return pids

    client, cfg, service = lib
    result: dict = {}
    writer = threading.Thread(target=lambda: result.update(r=upload(client, "killed_mid.txt", report(77))))
    writer.start()
    deadline = time.monotonic() + 120
    while not writers() and writer.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    children = writers()
    assert children, "the write ran in no child process"
    time.sleep(after)  # somewhere in the write: importing, loading the index, embedding or saving
    for pid in children:
        with contextlib.suppress(ProcessLookupError):  # the write may have finished already: nothing to kill
            os.kill(pid, signal.SIGKILL)
    writer.join(300)
    assert result["r"].status_code in (201, 503), result["r"].text
    if result["r"].status_code == 503:
        assert_error(result["r"], 503, "WriteFailed")
    status = client.get("/api/status").json()
    assert not status["stale"], status
    indexed = "killed_mid" in {d["id"] for d in client.get("/api/documents").json()["documents"]}
    assert indexed == (cfg.data_dir / "killed_mid.txt").exists()
    assert not list(cfg.data_dir.glob(".*.tmp-*")) and not list(cfg.index_dir.glob(".*.tmp-*"))
    if indexed:
        assert client.delete("/api/documents/killed_mid", headers=AUTH).status_code == 200
    assert client.post("/api/ask", json={"question": LIGANG_Q}).json()["answer"].startswith("547")


def docx_lines(lines: list[str]) -> bytes:
    return docx(docx_text("\n".join(lines)))

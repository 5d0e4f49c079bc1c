"""The HTTP API against the real app (httpx over ASGI) with a real Service on a small real corpus."""

import json
from pathlib import Path

import pytest

from tests.conftest import small_service

pytestmark = pytest.mark.slow
CORPUS = Path(__file__).parents[1] / "corpus"
KEY = "test-admin-key"


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    from bot.serve import create_app

    cfg, service = small_service(tmp_path_factory.mktemp("api"), api_key=KEY,
                                 cors_origins=("https://portal.example.gov.cn",), rate_limit_per_minute=1000,
                                 max_body_bytes=8192, max_upload_bytes=2_000_000)
    app = create_app(cfg, service=service)
    from fastapi.testclient import TestClient  # httpx against the ASGI app

    with TestClient(app) as client:
        yield client, cfg, service


def test_ask_returns_the_cli_json(api):
    client, _, _ = api
    r = client.post("/api/ask", json={"question": "牡丹江市民政局2009年受理了多少件依申请公开事项?"})
    assert r.status_code == 200
    body = r.json()
    assert body["found"] and body["answer"].startswith("141")
    assert body["citations"][0]["source"] == "000_ef4fad13e9076686"
    follow = client.post("/api/ask", json={"question": "那咸宁呢?",
                                           "history": ["牡丹江市民政局2009年有没有因政府信息公开引起的行政复议或行政诉讼?"]})
    assert follow.json()["citations"][0]["source"] == "001_d6e3f92ae18b423a"


def test_documents_listing_detail_and_filters(api):
    client, _, _ = api
    listing = client.get("/api/documents", params={"limit": 1}).json()
    assert listing["total"] == 2 and len(listing["documents"]) == 1
    assert client.get("/api/documents", params={"year": 2015}).json()["documents"][0]["body"] == "咸宁市民政局"
    assert client.get("/api/documents", params={"q": "mudanjiang"}).json()["total"] == 1
    detail = client.get("/api/documents/001_d6e3f92ae18b423a").json()
    assert "五、依申请公开政府信息情况" in detail["sections"]
    p = detail["paragraphs"][3]
    assert detail["text"][p["start"]:p["end"]] == p["text"]
    missing = client.get("/api/documents/nope")
    assert missing.status_code == 404 and "error" in missing.json()


def test_upload_answer_delete_cycle(api):
    client, cfg, _ = api
    question = "立岗镇2014年累计公开政府信息多少条?"
    assert not client.post("/api/ask", json={"question": question}).json()["found"]
    data = (CORPUS / "003_d3c98314bfcdc399.txt").read_text(encoding="utf-8").encode("gbk", errors="replace")
    up = client.post("/api/documents", files={"file": ("ligang.txt", data, "text/plain")},
                     headers={"Authorization": f"Bearer {KEY}"})
    assert up.status_code == 201, up.text
    assert up.json()["added"] == ["ligang"]
    ans = client.post("/api/ask", json={"question": question}).json()
    assert ans["found"] and ans["answer"].startswith("547") and ans["citations"][0]["source"] == "ligang"
    gone = client.delete("/api/documents/ligang", headers={"X-API-Key": KEY})
    assert gone.status_code == 200 and gone.json()["removed"] == ["ligang"]
    assert not client.post("/api/ask", json={"question": question}).json()["found"]
    assert list((cfg.data_dir / ".deleted").glob("ligang.*.txt"))  # moved aside, not destroyed
    assert not (cfg.corpus_dir / "ligang.txt").exists()  # uploads never write into the shipped corpus


def test_writes_need_the_key(api):
    client, _, _ = api
    files = {"file": ("x.txt", "某镇2020年政府信息公开工作年度报告".encode(), "text/plain")}
    assert client.post("/api/documents", files=files).status_code == 401
    assert client.post("/api/documents", files=files, headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert client.delete("/api/documents/000_ef4fad13e9076686").status_code == 401
    assert client.delete("/api/documents/000_ef4fad13e9076686", headers={"X-API-Key": "nope"}).status_code == 403


def test_bad_files_leave_the_index_as_it_was(api):
    client, _, service = api
    before = service.status()["chunks"]
    auth = {"Authorization": f"Bearer {KEY}"}
    for name, data in (("photo.txt", bytes(range(256)) * 40), ("report.pdf", "不是PDF".encode()),
                       ("report.docx", b"plain text"), ("tool.exe", b"MZ\x90\x00"), ("empty.txt", b"")):
        r = client.post("/api/documents", files={"file": (name, data, "application/octet-stream")}, headers=auth)
        assert 400 <= r.status_code < 500 and r.json()["error"]["message"], name
    assert service.status()["chunks"] == before


def test_limits_and_errors_are_json(api):
    client, cfg, _ = api
    assert client.post("/api/ask", json={"question": "问" * 5000}).status_code == 413  # body limit
    r = client.post("/api/ask", json={"question": "问" * 2500})
    assert r.status_code == 400 and "limit" in r.json()["error"]["message"]
    r = client.post("/api/ask", json={"question": "  "})
    assert r.status_code == 400 and r.json()["error"]["type"] == "BadQuestionError"
    r = client.post("/api/ask", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422 and "error" in r.json()


def test_rate_limit_per_client(api):
    from fastapi.testclient import TestClient

    from bot.serve import create_app

    _, cfg, service = api
    with TestClient(create_app(cfg.with_overrides(rate_limit_per_minute=3), service=service)) as client:
        codes = [client.post("/api/ask", json={"question": "咸宁市2015年城乡低保对象有多少户?"}).status_code
                 for _ in range(5)]
        assert codes[:3] == [200, 200, 200] and codes[3] == 429
        r = client.post("/api/ask", json={"question": "x"})
        assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1


def test_openai_compatible_chat(api):
    client, _, _ = api
    msg = {"model": "govinfo-bot", "messages": [{"role": "user", "content": "咸宁市2015年城乡低保对象有多少户?"}]}
    r = client.post("/v1/chat/completions", json=msg).json()
    assert r["object"] == "chat.completion" and r["choices"][0]["message"]["content"].startswith("121702")
    assert r["citations"][0]["source"] == "001_d6e3f92ae18b423a"
    with client.stream("POST", "/v1/chat/completions", json={**msg, "stream": True}) as s:
        lines = [l for l in s.iter_lines() if l.startswith("data: ")]
    assert lines[-1] == "data: [DONE]"
    chunks = [json.loads(l[6:]) for l in lines[:-1]]
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert text.startswith("121702") and chunks[-1]["citations"]
    assert client.get("/v1/models").json()["data"][0]["id"] == "govinfo-bot"


def test_portal_support_cors_docs_embed_health(api):
    client, _, _ = api
    r = client.options("/api/ask", headers={"Origin": "https://portal.example.gov.cn",
                                            "Access-Control-Request-Method": "POST"})
    assert r.headers["access-control-allow-origin"] == "https://portal.example.gov.cn"
    r = client.options("/api/ask", headers={"Origin": "https://evil.example.com",
                                            "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in r.headers
    assert "/api/ask" in client.get("/api/openapi.json").json()["paths"]
    assert client.get("/api/docs").status_code == 200
    assert "iframe" in client.get("/embed.js").text and "embed.js" in client.get("/embed").text
    health = client.get("/api/health").json()
    assert health["status"] == "ready" and health["documents"] >= 2
    page = client.get("/source/000_ef4fad13e9076686", params={"start": 10, "end": 30}).text
    assert "<mark class='quote'" in page


def test_uploads_that_collide_are_refused_and_shipped_reports_stay(api):
    client, cfg, _ = api
    auth = {"Authorization": f"Bearer {KEY}"}
    shipped = cfg.corpus_dir / "000_ef4fad13e9076686.txt"
    before = shipped.read_bytes()
    # the id of a shipped report, other bytes: 409 naming the existing report, nothing hidden or replaced
    same_id = client.post("/api/documents", files={"file": ("000_ef4fad13e9076686.txt", "假报告".encode(), "text/plain")},
                          headers=auth)
    assert same_id.status_code == 409 and "000_ef4fad13e9076686" in same_id.json()["error"]["message"]
    # the same bytes under another name: 409 too
    same_bytes = client.post("/api/documents", files={"file": ("copy.txt", before, "text/plain")}, headers=auth)
    assert same_bytes.status_code == 409 and same_bytes.json()["error"]["type"] == "ConflictError"
    ask = client.post("/api/ask", json={"question": "牡丹江市民政局2009年受理了多少件依申请公开事项?"}).json()
    assert ask["answer"].startswith("141") and shipped.read_bytes() == before
    assert client.get("/api/nothing-here").json()["error"]["type"] == "NotFound"


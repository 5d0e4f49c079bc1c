"""The whole ingest stage on the eight shipped files: documents, ids, metadata, sections."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.errors import ReadError
from bot.ingest import load_corpus, read_documents

ROOT = Path(__file__).parents[1]

EXPECTED = {  # id: (year, body, kind, title)
    "000_ef4fad13e9076686": (2009, "牡丹江市民政局", "annual_report", "2009年度市民政局信息公開工作報告"),
    "001_d6e3f92ae18b423a": (2015, "咸宁市民政局", "annual_report", "咸宁市民政局2015年政府信息公开工作年度报告"),
    "002_c82a9a4dc1c27d10": (2009, "介休市人民政府", "annual_report", "2009年度政府信息公开年度工作报告"),
    "003_d3c98314bfcdc399": (2014, "立岗镇人民政府", "annual_report", "立岗镇2014年信息公开工作年度报告"),
    "huaian_2024": (2024, "淮安市人民政府", "annual_report", "淮安市人民政府2024年政府信息公开工作年度报告"),
    "hongze_2023": (2023, "淮安市洪泽区人民政府", "annual_report", "洪泽区人民政府2023年政府信息公开工作年度报告"),
    "hongze_2024": (2024, "淮安市洪泽区人民政府", "annual_report", "淮安市洪泽区人民政府2024年政府信息公开工作年度报告"),
}


def test_metadata_of_the_shipped_reports(corpus_docs):
    for doc_id, (year, body, kind, title) in EXPECTED.items():
        d = corpus_docs[doc_id]
        assert (d.year, d.body, d.kind, d.title) == (year, body, kind, title), doc_id
    assert corpus_docs["001_d6e3f92ae18b423a"].published == "2020-09-11"
    assert corpus_docs["002_c82a9a4dc1c27d10"].published == "2010-04-07"
    assert corpus_docs["003_d3c98314bfcdc399"].published == "2015-01-05"
    assert (corpus_docs["hongze_2024"].region, corpus_docs["hongze_2024"].level) == ("洪泽区", "区")
    assert (corpus_docs["003_d3c98314bfcdc399"].region, corpus_docs["003_d3c98314bfcdc399"].level) == ("立岗镇", "乡镇")
    # pinyin lets English questions name the places
    assert "mudanjiang" in corpus_docs["000_ef4fad13e9076686"].pinyin.split()
    assert "huaian" in corpus_docs["huaian_2024"].pinyin.split()


def test_seed_004_holds_five_articles(corpus_docs):
    ids = sorted(i for i in corpus_docs if i.startswith("004_"))
    assert ids == [f"004_4c6f1f2b9bd1da5f#{n}" for n in range(1, 6)]
    bodies = [corpus_docs[i].body for i in ids]
    assert bodies == ["省工商行政管理局", "工商局", "彭阳县政务服务中心", "财政与编制政务公开办公室", "民政局"]
    assert all(corpus_docs[i].kind == "other" for i in ids)
    assert corpus_docs[ids[0]].title == "深化政务公开 打造阳光工商"


def test_sections_of_reports(corpus_docs):
    huaian = corpus_docs["huaian_2024"]
    assert huaian.sections[:2] == ["一、总体情况", "一、总体情况 > （一）主动公开情况"]
    assert "三、收到和处理政府信息公开申请情况" in huaian.sections
    assert len(huaian.sections) == 11
    seed3 = corpus_docs["003_d3c98314bfcdc399"]
    assert "二、主动公开政府信息情况 > (一)公开内容 > 1、与公众密切相关的重大事项" in seed3.sections
    assert len(seed3.sections) == 16
    # every paragraph knows its section; offsets quote exactly
    for d in corpus_docs.values():
        for p in d.paragraphs:
            assert d.text[p.start:p.end] == p.text
    row = next(p for p in huaian.paragraphs if p.is_table_row and "本年新收" in p.text)
    assert row.section == ("三、收到和处理政府信息公开申请情况",)


def test_traditional_text_stays_traditional(corpus_docs):
    text = corpus_docs["000_ef4fad13e9076686"].text
    assert "2009年共受理依申請公開事項141件" in text.replace(",", "")  or "受理依申請公開事項141件" in text
    assert "(dāng)" not in text


def test_unreadable_files_are_reported_and_the_rest_is_read(tmp_path):
    (tmp_path / "good.txt").write_text((ROOT / "corpus" / "003_d3c98314bfcdc399.txt").read_text(encoding="utf-8"),
                                       encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    (tmp_path / "notes.xyz").write_text("x")
    docs, failures = load_corpus(tmp_path)
    assert [d.id for d in docs] == ["good"]
    reasons = {p.name: r for p, r in failures}
    assert set(reasons) == {"empty.txt", "broken.pdf", "notes.xyz"}
    assert "empty" in reasons["empty.txt"] and "PDF" in reasons["broken.pdf"]
    with pytest.raises(ReadError):
        read_documents(tmp_path / "empty.txt")


@pytest.mark.slow
def test_cli_corpus_list_json_and_show(tmp_path):
    out = subprocess.run([sys.executable, "-m", "bot", "corpus", "list", "corpus", "--json"], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    rows = [json.loads(l) for l in out.stdout.splitlines()]
    files = {p.name for p in (ROOT / "corpus").iterdir() if p.suffix in {".txt", ".pdf", ".html", ".docx"}}
    assert {r["file"] for r in rows} == files and len(rows) >= len(files)
    by_id = {r["id"]: r for r in rows}
    for doc_id, (year, body, _, _) in EXPECTED.items():
        assert (by_id[doc_id]["year"], by_id[doc_id]["body"]) == (year, body)
    assert set(rows[0]) == {"id", "file", "title", "body", "region", "level", "year", "published", "kind",
                            "sections", "chars", "url", "sources"}
    show = subprocess.run([sys.executable, "-m", "bot", "corpus", "show", "hongze_2023"], cwd=ROOT,
                          capture_output=True, text=True, check=True).stdout
    assert "§ 三、收到和处理政府信息公开申请情况" in show and "总计: 21" in show
    # an empty directory: nothing read, exit 1
    empty = subprocess.run([sys.executable, "-m", "bot", "corpus", "list", str(tmp_path)], cwd=ROOT,
                           capture_output=True, text=True)
    assert empty.returncode == 1
    (tmp_path / "bad.pdf").write_bytes(b"nope")
    (tmp_path / "ok.txt").write_text("某镇2020年政府信息公开工作年度报告\n2020年共公开信息12条。", encoding="utf-8")
    mixed = subprocess.run([sys.executable, "-m", "bot", "corpus", "list", str(tmp_path), "--json"], cwd=ROOT,
                           capture_output=True, text=True)
    assert mixed.returncode == 0 and "bad.pdf" in mixed.stderr and json.loads(mixed.stdout)["year"] == 2020


@pytest.mark.parametrize("title, body, region, level", [
    ("北京市教育委员会2020年政府信息公开工作年度报告", "北京市教育委员会", "北京市", "市"),
    ("国家税务总局上海市税务局2021年政府信息公开工作年度报告", "国家税务总局上海市税务局", "上海市", "市"),
    ("广州市天河区人民政府2022年政府信息公开工作年度报告", "广州市天河区人民政府", "天河区", "区"),
    ("成都市武侯区玉林街道办事处2021年政府信息公开工作年度报告", "成都市武侯区玉林街道办事处", "玉林街道", "乡镇"),
    ("江苏省生态环境厅2023年政府信息公开工作年度报告", "江苏省生态环境厅", "江苏省", "省"),
])
def test_metadata_follows_general_patterns_of_titles(title, body, region, level):
    text = title + "\n一、总体情况\n2022年，共受理政府信息公开申请12件。\n"
    doc = read_documents(Path("report.txt"), text.encode("utf-8"))[0]
    assert (doc.body, doc.region, doc.level, doc.kind) == (body, region, level, "annual_report")
    assert doc.year == int(re.search(r"\d{4}", title).group())


def test_a_year_to_date_title_with_an_odd_publication_date():
    """'1-10月…' covers the publication year; a publication date without its month gives no year, never an error."""
    from bot.ingest.metadata import _year_to_date

    assert _year_to_date("1-10月全县固定资产投资", "2016-11-22") == 2016
    assert _year_to_date("1-12月全县固定资产投资", "2017-01-05") == 2016
    assert _year_to_date("1-10月全县固定资产投资", "2016") is None
    assert _year_to_date("1-10月全县固定资产投资", "2016年11月") is None

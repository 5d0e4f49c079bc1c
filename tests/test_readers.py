"""Readers on real files: encodings, HTML chrome, docx made here, PDFs with statutory tables, bad files."""

import re
from pathlib import Path

import pytest

from bot.errors import ReadError
from bot.ingest.readers import decode_text, read_lines, table_rows

CORPUS = Path(__file__).parents[1] / "corpus"
SEED_001 = (CORPUS / "001_d6e3f92ae18b423a.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-16", "utf-8-sig"])
def test_encodings_are_detected_not_assumed(tmp_path, encoding):
    path = tmp_path / f"report_{encoding}.txt"
    path.write_bytes(SEED_001.replace("\xa0", " ").encode(encoding))  # GBK has no \xa0
    text = "\n".join(l.text for l in read_lines(path))
    assert "全市共有城乡低保对象121702" in text
    assert "咸宁市民政局2015年政府信息公开工作年度报告" in text


def test_empty_and_binary_files_are_refused_with_advice(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"   \n")
    with pytest.raises(ReadError, match="empty"):
        read_lines(empty)
    binary = tmp_path / "photo.txt"
    binary.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(ReadError, match="binary|not text"):
        read_lines(binary)
    fake_pdf = tmp_path / "fake.pdf"
    fake_pdf.write_bytes("不是PDF".encode())
    with pytest.raises(ReadError, match="not a PDF"):
        read_lines(fake_pdf)
    with pytest.raises(ReadError, match="unsupported"):
        read_lines(tmp_path / "report.xls", b"data")


def test_html_page_keeps_text_and_tables_drops_scripts(tmp_path):
    page = """<html><head><meta charset="gbk"><script>var x=1;</script><style>p{}</style></head><body>
    <nav>首页 | 政务公开</nav><div class="crumb">您当前的位置:首页>信息公开年报</div>
    <h1>某县2020年政府信息公开工作年度报告</h1><p>2020年,全县共受理政府信息公开申请35件。</p>
    <table><tr><td rowspan="2">收到申请</td><td>自然人</td><td>总计</td></tr>
    <tr><td>30</td><td>35</td></tr></table>
    <p>扫一扫在手机打开当前页</p></body></html>"""
    path = tmp_path / "page.html"
    path.write_bytes(page.encode("gbk"))
    lines = read_lines(path)
    texts = [l.text.strip() for l in lines if l.text.strip()]
    assert "2020年,全县共受理政府信息公开申请35件。" in texts
    assert not any("var x" in t or "首页 | 政务公开" in t for t in texts)
    rows = [l.text for l in lines if l.is_table_row]
    assert rows == ["收到申请 | 自然人: 30 | 总计: 35"]


def test_docx_made_here_with_a_table(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("某市2021年政府信息公开工作年度报告")
    d.add_paragraph("一、总体情况")
    d.add_paragraph("2021年共主动公开政府信息1234条。")
    t = d.add_table(rows=2, cols=3)
    for j, h in enumerate(["信息内容", "本年制发件数", "现行有效件数"]):
        t.cell(0, j).text = h
    for j, v in enumerate(["规章", "2", "15"]):
        t.cell(1, j).text = v
    path = tmp_path / "report.docx"
    d.save(path)
    lines = read_lines(path)
    assert [l.text for l in lines if not l.is_table_row][:3] == [
        "某市2021年政府信息公开工作年度报告", "一、总体情况", "2021年共主动公开政府信息1234条。"]
    assert [l.text for l in lines if l.is_table_row] == ["规章 | 本年制发件数: 2 | 现行有效件数: 15"]


@pytest.mark.slow
def test_pdf_statutory_tables_keep_labels_headers_and_totals():
    lines = read_lines(CORPUS / "huaian_2024.pdf")
    rows = [l.text for l in lines if l.is_table_row]
    new = next(r for r in rows if r.startswith("一、本年新收政府信息公开申请数量"))
    assert new.endswith("总计: 3119") and "自然人: 3001" in new
    # merged row labels are carried down: the full path of a sub-row
    assert any(r.startswith("三、本年度办理结果 > （三）不予公开 > 1.属于国家秘密 |") for r in rows)
    review = next(r for r in rows if "行政复议/总计" in r)
    assert "行政复议/总计: 351" in review and "行政诉讼/未经复议直接起诉/总计: 26" in review
    fees = next(r for r in rows if r.startswith("行政事业性收费"))
    assert fees.endswith("96171.6")
    text = "\n".join(l.text for l in lines if not l.is_table_row)
    # extraction spaces between CJK and digits are gone, as on the printed page
    assert "全市共受理政府信息公开申请3119件" in re.sub(r"\n", "", text)


def test_table_grid_with_merged_cells():
    # merged cells arrive as None: a spanning header, and a row label that spans the rows below it
    grid = [["申请人情况", None, None, None], [None, None, "自然人", "总计"],
            ["一、本年新收", None, "3", "4"], ["三、办理结果", None, None, None], [None, "（一）予以公开", "1", "1"],
            [None, "（二）部分公开", "0", "2"]]
    lines, _ = table_rows(grid)
    assert lines == ["一、本年新收 | 自然人: 3 | 总计: 4", "三、办理结果 > （一）予以公开 | 自然人: 1 | 总计: 1",
                     "三、办理结果 > （二）部分公开 | 自然人: 0 | 总计: 2"]


def test_decode_prefers_utf8_and_handles_gb18030():
    assert decode_text("依申请公开".encode("gb18030")) == "依申请公开"
    assert decode_text("依申請公開".encode()) == "依申請公開"


def test_a_table_with_broken_span_attributes_is_still_read():
    """A crawled page cut mid-tag leaves 'colspan="</div'": read as a span of 1, never an error (it was a 500 on
    upload)."""
    from bot.ingest.readers import html_lines

    html = ('<table><tr><td colspan="</div">本年新收</td><td rowspan="2x">3</td></tr>'
            '<tr><td colspan="99999">上年结转</td></tr></table>')
    lines = html_lines(html)
    assert any("本年新收" in line.text and "3" in line.text for line in lines)


def test_markdown_headings_and_a_values_only_table():
    """A PDF converted to Markdown: '## 四、…' is a numbered heading, '### 行政复议' a sub-heading, and a table
    of values only ('| 27 | 10 | … |' under '| 结果维持 | 结果纠正 | … |') gives every value its header."""
    from bot.facts import extract_facts
    from bot.ingest import read_documents

    (doc,) = read_documents(Path(__file__).resolve().parent.parent / "corpus" / "shuyang_2025.txt")
    sections = {p.text: p.section for p in doc.paragraphs if p.is_heading}
    assert sections["## 四、政府信息公开行政复议、行政诉讼情况"] == ("四、政府信息公开行政复议、行政诉讼情况",)
    assert sections["### 行政复议"] == ("四、政府信息公开行政复议、行政诉讼情况", "行政复议")
    facts = {(f.row, f.column): f.value for f in extract_facts(doc) if f.table == "四"}
    assert facts[("行政复议", "结果维持")] == 27 and facts[("行政复议", "总计")] == 61
    assert facts[("行政诉讼.复议后起诉", "总计")] == 10

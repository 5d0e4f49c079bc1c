"""Real crawled pages of two Pingtan departments (tests/data/reports_d, provenance in SOURCES.md): a crawler's header
above the text, the site's breadcrumb run into the report, and statutory tables whose cell borders were lost, all
on one line. The reports' own figures are read from the files' text, never written into bot/."""

from pathlib import Path

import pytest

from bot.answer.numbers import extract_quantities
from bot.facts.extract import extract_facts
from bot.ingest import read_documents
from tests.conftest import service_over

DATA = Path(__file__).parent / "data" / "reports_d"
APPROVAL = DATA / "pingtan_shenpiju_2021.txt"
FINANCE = DATA / "pingtan_caijinju_2017.txt"


def _doc(path: Path):
    return read_documents(path)[0]


def test_a_crawlers_header_is_metadata_and_the_breadcrumb_line_keeps_the_report_after_it():
    doc = _doc(APPROVAL)
    assert doc.title == "平潭综合实验区行政审批局2021年政府信息公开工作年度报告" and doc.year == 2021
    assert "原文链接" not in doc.text and "正文 ====" not in doc.text
    # the page's breadcrumb and the report's opening paragraph are one line: the line stays
    assert "当前位置" in doc.text and "传真：0591-23163704" in doc.text


def test_numbers_inside_addresses_and_clock_times_are_not_figures():
    kinds = {q.raw: q.kind for q in extract_quantities(
        "原文链接: https://www.pingtan.gov.cn/zfxxgknb/202201/t20220119_80609.htm 时间：2022-01-19 16:56 公开278条")}
    assert kinds["16:56"] == "time" and kinds["278条"] == "number"
    assert not any(k == "number" and ("202201" in raw or "80609" in raw) for raw, k in kinds.items())


def test_a_statutory_table_run_into_one_line_is_read_row_by_row():
    doc = _doc(APPROVAL)
    # a template row with its figures run on is a table row, not a heading
    assert not any(p.is_heading and p.text.startswith("（一）予以公开") for p in doc.paragraphs)
    facts = {(f.table, f.row, f.column): f for f in extract_facts(doc)}
    text = doc.text
    for key, run in ((("三", "三.（一）", "总计"), "（一）予以公开5000005"),
                     (("三", "三.（三）.8", "总计"), "8.属于行政查询事项1000001"),
                     (("三", "三.（七）", "总计"), "（七）总计6000006")):
        f = facts[key]
        assert not f.uncertain and text[f.cell_start:f.cell_end].endswith(run) and str(f.value) == run[-1]
    # table 二 and 四 run into the text after their headers
    assert facts[("二", "行政许可", "本年处理决定数量")].value == 3
    assert facts[("二", "行政事业性收费", "本年收费金额")].unit == "万元"
    assert facts[("四", "行政复议", "总计")].value == 0
    # "行政规范性文件2023" splits as 2|0|23 or 20|2|3: table 二 has no identity to choose, so no fact at all
    assert not any(f.row == "行政规范性文件" for f in facts.values())


@pytest.fixture(scope="module")
def pingtan(tmp_path_factory):
    return service_over(tmp_path_factory.mktemp("run_on"), (APPROVAL, FINANCE))


def test_a_zone_is_found_by_its_places_own_name_and_a_listed_total_beats_its_parts(pingtan):
    ans = pingtan.ask("How many pieces of information did Pingtan's administrative approval bureau make public in 2021?")
    assert ans.found and ans.citations[0].source == "pingtan_shenpiju_2021", ans.answer
    quote = ans.citations[0].quote
    # the sentence lists a total and its parts; the total is the first figure, the sum of the others
    values = [int(q.value) for q in extract_quantities(quote) if q.unit == "条"]
    assert ans.figure.value == str(values[0]) and values[0] == sum(values[1:])


def test_a_cell_asked_in_english_with_the_bodys_name_is_answered_and_named_by_its_row(pingtan):
    ans = pingtan.ask("In the Pingtan Comprehensive Experimental Zone Administrative Approval Bureau's 2021 report, "
                      "how many new information requests came from natural persons?")
    assert ans.found and "table_cell" in ans.notes, ans.answer
    assert "· 一、本年新收政府信息公开申请数量 · 自然人" in ans.answer


def test_the_figures_of_a_run_on_table_are_never_a_sentences_answer(pingtan):
    ans = pingtan.ask("How many policy interpretation documents did the Pingtan Administrative Approval Bureau "
                      "publish in 2021?")
    assert not ans.found, ans.answer


def test_a_share_the_report_states_is_its_answer_not_a_recomputed_one(pingtan):
    ans = pingtan.ask("What share of its government information did the Pingtan Finance and Financial Affairs "
                      "Bureau proactively disclose in 2017 (in percent)?")
    assert ans.found and ans.figure.unit == "%" and ans.figure.value in ans.citations[0].quote, ans.answer
    assert "÷" not in ans.answer


def test_an_old_statistics_table_with_its_unit_column_before_the_value_is_read(pingtan):
    doc = _doc(FINANCE)
    # "1、当面申请数 条 0" is a table row, not a numbered heading
    assert not any(p.is_heading and "申请数 条" in p.text for p in doc.paragraphs)
    ans = pingtan.ask("平潭财政金融局2017年通过电子邮件提出的申请有几条？")
    assert ans.found and ans.figure.unit == "条" and "电子邮件申请数 条" in ans.citations[0].quote, ans.answer


def test_plain_questions_about_lawsuits_refusals_fees_and_carried_over_applications(pingtan):
    # being sued (被告) is table 四's lawsuits: the direct ones and those after reconsideration, added and cited
    sued = pingtan.ask("平潭区审批局2021年因为信息公开被告过几次？")
    assert sued.found and "computed:sum" in sued.notes and len(sued.citations) == 2, sued.answer
    turned = pingtan.ask("Did the Pingtan Administrative Approval Bureau turn down any information requests in 2021?"
                         " If so, how many?")
    assert turned.found and "computed:sum" in turned.notes, turned.answer  # 不予公开: its eight grounds added
    # a yes/no question is not a table cell: the sentence that says so answers it
    fee = pingtan.ask("平潭综合实验区行政审批局2021年办信息公开申请收过费吗？")
    assert fee.found and fee.answer.startswith("没有") and "处理费" in fee.citations[0].quote, fee.answer
    carried = pingtan.ask("How many information requests did the Pingtan Administrative Approval Bureau carry over "
                          "from 2020 into 2021?")
    assert carried.found and "table_cell" in carried.notes and "上年结转" in carried.answer, carried.answer


def test_a_complement_is_never_answered_with_the_part_it_excludes(pingtan):
    ans = pingtan.ask("Besides institutional, licensing and major-project items, how many other items subject to "
                      "proactive disclosure did the Pingtan Administrative Approval Bureau publish in 2021?")
    assert not ans.found and "table_cell" not in ans.notes, ans.answer


def test_a_crawlers_csv_saved_as_text_is_read_as_its_export_even_with_the_title_cut_short(tmp_path):
    import csv
    import io

    export = Path(__file__).parent / "data" / "crawl" / "pingtan_zone_zfxxgknb.csv"
    rows = list(csv.DictReader(io.StringIO(export.read_text(encoding="utf-8-sig"))))
    row = dict(rows[0])
    row["标题"] = row["标题"][:-3] + "..."  # the site cut the title: "…工作年度报..."
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerow(row)
    path = tmp_path / "pingtan_zone_2012.txt"
    path.write_text(out.getvalue(), encoding="utf-8")
    docs = read_documents(path)
    assert len(docs) == 1 and docs[0].id == "pingtan_zone_2012#1" and docs[0].year == 2012
    assert "标题,发布时间" not in docs[0].text and docs[0].url.startswith("https://www.pingtan.gov.cn/")


def test_a_table_written_one_cell_per_line_is_read_as_its_rows():
    """The real table 三 and 四 of the approval bureau's page, rewritten one cell per line with blank lines between
    (as some pages and crawls give tables): the same facts as from the run-on original."""
    import re

    doc = _doc(APPROVAL)
    original = {(f.table, f.row, f.column): f.value for f in extract_facts(doc) if f.table in ("三", "四")}
    text = doc.text[doc.text.index("申请人情况"):doc.text.index("五、存在的主要问题")]
    cells = ["三、收到和处理政府信息公开申请情况", "申请人情况", "自然人", "法人或其他组织", "总计"]
    # each label with its run of single-digit cells ("（一）予以公开5000005"; "1." of a ground stays with it)
    for m in re.finditer(r"((?:\d\.)?[^\d\n]+?)(\d{7}|\d{15})(?=\D|$)", text):
        label, run = m.group(1).strip(), m.group(2)
        cells += [label] + list(run) if len(run) == 7 else ["行政复议", "行政诉讼", "结果维持", "总计"] + list(run)
    page = "平潭综合实验区行政审批局2021年政府信息公开工作年度报告\n\n" + "\n\n".join(cells) + "\n"
    stacked = read_documents(Path("stacked.txt"), page.encode("utf-8"))[0]
    got = {(f.table, f.row, f.column): f.value for f in extract_facts(stacked) if f.table in ("三", "四")}
    assert got[("三", "三.（一）", "总计")] == original[("三", "三.（一）", "总计")]
    assert got[("三", "三.（三）.8", "自然人")] == original[("三", "三.（三）.8", "自然人")]
    assert {k for k in original if k[0] == "四"} <= set(got)

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
    # "行政规范性文件2023" splits as 2|0|23 or 20|2|3; only the first keeps in force what was issued and not abolished
    assert [facts[("二", "行政规范性文件", c)].value for c in ("本年制发件数", "本年废止件数", "现行有效件数")] == [2, 0, 23]


def test_a_table_two_documents_row_splits_only_where_its_rule_holds_for_one_split():
    from bot.facts.extract import _t2_run_on
    from bot.models import Paragraph

    seg = Paragraph("x", 0, 4)
    # 2|0|23 holds, 20|2|3 does not (3 in force of 18 kept); "111" is 1|1|1 only; "1210" is 1|2|10, 12|1|0 (no),
    # 1|21|0 (holds: 1 issued, 21 abolished) -> two hold, so no fact
    assert [c[1] for c in _t2_run_on(seg, "2023", "行政规范性文件").cells] == ["2", "0", "23"]
    assert [c[1] for c in _t2_run_on(seg, "111", "规章").cells] == ["1", "1", "1"]
    assert _t2_run_on(seg, "1210", "规章") is None


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


def test_the_words_listed_before_a_figure_are_its_own_and_a_question_about_the_genres_noun_has_no_other_head(pingtan):
    # "抢险救灾、优抚、救济、社会捐助等款物的管理、使用和分配情况类信息6条": the listed words all lead up to 6, not only
    # the last clause; the item before it ("民政扶贫救灾…类信息2条") shares one word
    ans = pingtan.ask("How many items on the management and distribution of disaster-relief, special-care and donated "
                      "funds and goods did the Pingtan finance bureau disclose in 2017?")
    assert ans.found and ans.figure.value == "6" and "款物" in ans.citations[0].quote, ans.answer
    # "几条关于…办事流程的信息": the counted noun is 信息, so the report's 办事程序 need not say 流程
    ans = pingtan.ask("2017年平潭财政金融局公开了几条关于机构设置、职能和办事流程的信息？")
    assert ans.found and ans.figure.value == "5" and "办事程序" in ans.citations[0].quote, ans.answer


def test_a_complement_is_computed_as_the_total_less_the_parts_it_leaves_out(pingtan):
    # "今年我局公开278条政务信息，…重大建设项目类信息252条，…": what is not major projects is 278 − 252
    ans = pingtan.ask("平潭行政审批局2021年除了重大建设项目类以外，其他公开的信息有多少条？")
    assert ans.found and "278 − 252 = 26" in ans.answer and ans.figure.value == "26", ans.answer
    ans = pingtan.ask("How many of the items the Pingtan approval bureau published in 2021 were not about major "
                      "construction projects?")
    assert ans.found and "278 − 252 = 26" in ans.answer, ans.answer


def test_complement_operands_in_both_languages():
    from bot.answer.parts import plan
    from bot.retrieve import analyze

    p = plan(analyze("Besides licensing and penalty decisions, how many other decisions did Pingtan make in 2021?"), None)
    assert p.op == "remainder" and [o.text for o in p.operands] == [
        "How many decisions did Pingtan make in 2021?", "How many licensing decisions did Pingtan make in 2021?",
        "How many penalty decisions did Pingtan make in 2021?"]
    p = plan(analyze("平潭2021年公开的信息中不属于重大建设项目类的有多少条？"), None)
    assert p.op == "remainder" and len(p.operands) == 2 and "属于重大建设项目类" in p.operands[1].text
    assert "重大" not in p.operands[0].text


def test_a_remainder_of_parts_larger_than_their_whole_is_refused():
    from bot.facts import compute

    with pytest.raises(ValueError):
        compute.remainder(_Fig(21), [_Fig(252)])
    assert compute.remainder(_Fig(278), [_Fig(252), _Fig(3)]).arithmetic == "278 − 252 − 3 = 23"


class _Fig:
    def __init__(self, value):
        self.value, self.unit = value, "条"


def test_a_place_no_report_covers_is_named_in_english_behind_the_and_before_municipal(pingtan):
    ans = pingtan.ask("How many information requests did the Chengdu Municipal Bureau of Natural Resources refuse "
                      "in 2022?")
    assert not ans.found and "Chengdu" in ans.answer, ans.answer


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


def test_a_field_of_a_contact_list_is_read_with_what_its_sentence_says_before_its_fields(pingtan):
    # "请与平潭综合区行政审批局办公室联系，联系地址：…；邮编：350400；电话：0591-23153022；传真：…": the office is
    # named before the fields, not in "电话：0591-23153022；"
    ans = pingtan.ask("平潭综合实验区行政审批局2021年报里留的办公室联系电话是多少？")
    quote = ans.citations[0].quote if ans.citations else ""
    assert ans.found and ans.answer.startswith("0591-23153022") and "电话：0591-23153022" in quote, ans.answer

"""Plain wordings of prose figures (sets O and P): the counted noun that follows a figure, a month that is no count, a
count asked before "when", a body's own words that do not pick a part, a level word after a name, and the body of a
report saved without its title. Real text throughout: the shipped corpus (corpus/004: a 2010 county service centre, a
2007 finance office) and tests/data/reports_p (provenance in its SOURCES.md)."""

from pathlib import Path

import pytest

from bot.answer.intent import COUNT, answer_type
from bot.answer.numbers import extract_quantities
from bot.retrieve.query import analyze
from tests.conftest import service_over

CORPUS = Path(__file__).parent.parent / "corpus"
REPORTS_P = Path(__file__).parent / "data" / "reports_p"


def test_a_month_spaced_from_its_number_counts_nothing():
    # 004 (2007): "提高人民群众满意率,今年6 月份制定了《…规范》"
    (q,) = extract_quantities("今年6 月份制定了")
    assert q.kind == "month" and q.raw == "6 月份"
    assert [x.kind for x in extract_quantities("截止10月底,中心共接待审批(服务)事项11211件")] == ["month", "number"]


def test_a_count_asked_first_keeps_its_type_beside_when():
    assert answer_type(analyze("How many approval items did the county find when it combed through its approvals?")) \
        == COUNT
    assert answer_type(analyze("When did the county service centre start operating?")) == "date"


@pytest.fixture(scope="module")
def seeds_004(tmp_path_factory):
    return service_over(tmp_path_factory.mktemp("o"), [CORPUS / "004_4c6f1f2b9bd1da5f.txt"])


@pytest.mark.slow
@pytest.mark.parametrize("question, figure", [
    # "…清理出的192项行政审批事项及时反馈给各28个相关部门": 28 counts departments, 192 the items asked
    ("彭阳县政务服务中心清理出了多少项行政审批事项？", "192"),
    # "截止10月底,中心共接待审批(服务)事项11211件": "October" says when; the office nouns of the body's English name
    # nest ("government service center") and are cut once
    ("How many approval cases did the Pengyang county government service center take in by the end of October?",
     "11211"),
    # "2007年公开网上共受理咨询投诉62件,其中:财政和编制部门直接答复31件…": 财政/编制 name the report's body
    # (财政与编制政务公开办公室), so the part says nothing more than its total
    ("How many online inquiries and complaints did the finance and staffing (财政与编制) disclosure office handle in "
     "2007?", "62"),
])
def test_the_figure_counting_what_was_asked_is_shown(seeds_004, question, figure):
    answer = seeds_004.ask(question)
    assert answer.found and answer.short.startswith(figure), answer.short


def _described(name: str):
    from bot.ingest import load_corpus
    docs, _ = load_corpus(REPORTS_P)
    return next(d for d in docs if d.id == name)


def test_an_untitled_report_is_its_own_level_place_s_body():
    # crawled from its first heading on: "…地址:浙江省永嘉县溪下乡人民政府党政综合办公室…我乡设立便捷有效的申请途径"
    assert _described("yongjia_xixiaxiang_2023").body == "永嘉县溪下乡人民政府"


def test_the_compiler_named_in_the_opening_is_the_body_not_a_notice_it_cites():
    # "本报告由南平市人民政府信息公开工作领导小组办公室根据…《福建省人民政府办公厅关于做好2012年…年度报告有关事项的通知》"
    doc = _described("nanping_shizhengfu_2012")
    assert doc.body == "南平市人民政府" and "通知" not in doc.title


def test_a_level_word_after_a_name_is_part_of_the_name():
    from bot.answer.concepts import _levels_of_names
    assert _levels_of_names("How many items did Xixia township in Yongjia County post?",
                            "how many items did xixia township in yongjia county post?") == {"township", "county"}
    assert _levels_of_names("How many townships in Yongjia County posted reports?",
                            "how many townships in yongjia county posted reports?") == {"county"}


@pytest.mark.slow
@pytest.mark.parametrize("question, figure", [
    # "2023年度…共新增主动公开政府信息50条。…工作类信息11条,其中镇街动态3条、计划总结3条、通知公告5条;财政管理类信息7条"
    ("How many items did Xixia township in Yongjia County post proactively in 2023?", "50"),
    ("How many notices and announcements did Xixia township put out in 2023?", "5"),
    ("How many fiscal management items did Xixia township post in 2023?", "7"),
])
def test_a_township_named_in_english_is_the_report_not_a_topic(tmp_path, question, figure):
    service = service_over(tmp_path, [REPORTS_P / "yongjia_xixiaxiang_2023.txt"])
    answer = service.ask(question)
    assert answer.found and answer.short.startswith(figure), answer.short


def test_an_approximate_figure_ending_a_cut_sentence_is_no_flattened_table_row():
    from bot.answer.candidates import _FLAT_ROW
    # 桐城市 2021, cut by the page store: "主动回应 1426 条,互动回应约3000"
    assert not _FLAT_ROW.search("主动回应 1426 条,互动回应约3000")
    assert _FLAT_ROW.search("1.本机关不掌握相关政府信息 4000004")


def test_a_crawled_page_s_date_line_dates_the_report_without_a_signature():
    from bot.answer.signature import page_date_span
    doc = _described("fuzhou_jinanqu_2016")  # "来源:区人民政府办公室 时间:2017-01-12 10:01"
    start, end, d_start, d_end = page_date_span(doc)
    assert doc.text[d_start:d_end] == "2017-01-12" and doc.text[start:end].startswith("来源")


def test_a_table_two_row_with_a_signed_change_is_read():
    from bot.facts.extract import extract_facts
    # 乌海市工业和信息化局 2020: "其他对外管理服务事项 | 2 | +2 | 114 | |" under its own header row
    facts = {(f.row, f.column): f.value for f in extract_facts(_described("wuhai_gongxinju_2020"))}
    assert facts[("其他对外管理服务事项", "本年处理决定数量")] == 114
    assert facts[("其他对外管理服务事项", "本年增减")] == 2


@pytest.mark.parametrize("question, atype", [
    ("How much disaster relief money was handed out across Xianning in 2015?", "money"),
    ("咸宁市2015年“送温暖献爱心”一共收到多少捐款？", "money"),
    ("How many donation drives did Xianning run in 2015?", "count"),
])
def test_money_asked_in_plain_words_is_an_amount(question, atype):
    assert answer_type(analyze(question)) == atype


def test_the_year_a_change_is_measured_against_is_no_asked_word():
    from bot.answer.concepts import concepts
    cs, _ = concepts(analyze("宿迁2023年信息公开申请比上一年多了百分之多少？"))
    assert not any({"上一年", "去年"} & set(c.alternatives) for c in cs)
    cs, _ = concepts(analyze("宿迁2023年上一年结转的申请有多少件？"))
    assert any("上一年" in c.alternatives for c in cs)


@pytest.fixture(scope="module")
def xianning(tmp_path_factory):
    return service_over(tmp_path_factory.mktemp("q"), [CORPUS / "001_d6e3f92ae18b423a.txt"])


@pytest.mark.slow
@pytest.mark.parametrize("question, figure", [
    # "2015年,全市共下拨使用救灾资金4200.7万元,其中省拨资金3948万元,地方配套资金252.7万元。"
    ("咸宁2015年的救灾资金里，省里给了多少？", "3948"),
    ("How much disaster relief money was handed out across Xianning in 2015?", "4200.7"),
    # "2015年咸宁市"送温暖 献爱心"捐款收入1619106元,支出1454400元"
    ("咸宁市2015年“送温暖献爱心”一共收到多少捐款？", "1619106"),
    # "截至目前,全市共受理网上登记审批业务147件,网上年检业务863件。"
    ("How many social organization registrations were filed online with Xianning civil affairs in 2015?", "147"),
])
def test_plain_words_for_money_and_registration_find_their_figure(xianning, question, figure):
    answer = xianning.ask(question)
    assert answer.found and answer.short.startswith(figure), answer.short


@pytest.mark.slow
@pytest.mark.parametrize("report, question, figure", [
    # "…累计共抽检20680批次农产品，其中不合格15批次。": "failed" is 不合格, a part of the total
    ("reports_j/pingtan_shijianju_2021.txt",
     "How many batches of farm produce failed the Pingtan market regulator's quick tests in 2021?", "15"),
    # "省12345热线人社远程专家坐席总接通量88429个，转办工单3332件"
    ("reports_f/hebei_rensheting_2023.txt",
     "In 2023, how many work orders did the HRSS expert seat on Hebei's 12345 hotline forward?", "3332"),
])
def test_the_genre_s_words_for_failed_tests_and_work_orders(tmp_path, report, question, figure):
    service = service_over(tmp_path, [Path(__file__).parent / "data" / report])
    answer = service.ask(question)
    assert answer.found and answer.short.startswith(figure), answer.short


@pytest.mark.slow
def test_to_announce_is_to_disclose(tmp_path):
    # 牡丹江市民政局 2009 (traditional characters): "公開工作目標13項,向社會公開利民實事4項。"
    service = service_over(tmp_path, [CORPUS / "000_ef4fad13e9076686.txt"])
    answer = service.ask("牡丹江民政局2009年对外公布了多少项工作目标？")
    assert answer.found and answer.short.startswith("13"), answer.short


@pytest.mark.slow
def test_other_items_asked_are_the_report_s_other_items(tmp_path):
    # 乌海市工信局 2020: "通过局门户网站公开政府信息公开52条,其他信息2167条,局微博发布信息541条…"
    service = service_over(tmp_path, [REPORTS_P / "wuhai_gongxinju_2020.txt"])
    answer = service.ask("Apart from disclosure items, how many other pieces of information did the Wuhai industry and IT "
                         "bureau put on its website in 2020?")
    assert answer.found and answer.short.startswith("2167"), answer.short

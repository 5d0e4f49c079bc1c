"""Real reports of a Hebei department as a crawler saved them (tests/data/reports_f, provenance in SOURCES.md): some
as the crawler's CSV export saved with a .txt name, some as the report's text alone, without its title line."""

from pathlib import Path

import pytest

from bot.ingest import read_documents
from tests.conftest import service_over

DATA = Path(__file__).parent / "data" / "reports_f"
OTHERS = Path(__file__).parent / "data" / "reports_e"  # other departments of the same crawl


def test_a_report_saved_without_its_title_is_named_by_the_body_its_opening_names_and_its_files_province():
    doc = read_documents(DATA / "hebei_rensheting_2017.txt")[0]
    assert doc.kind == "annual_report" and doc.year == 2017 and doc.region == "河北省"
    # "2017年省人力资源社会保障厅认真贯彻《河北省人民政府办公厅印发…》": the body opens the text; the cited
    # document's issuer is not it
    assert doc.body == "河北省人力资源社会保障厅"
    assert doc.title == "河北省人力资源社会保障厅2017年政府信息公开工作年度报告"


def test_a_crawlers_csv_export_saved_as_text_is_one_report_with_the_rows_title_and_date():
    docs = read_documents(DATA / "hebei_rensheting_2019.txt")
    assert [d.id for d in docs] == ["hebei_rensheting_2019#1"]
    doc = docs[0]
    assert doc.title == "河北省人力资源和社会保障厅2019年政府信息公开工作年度报告" and doc.published == "2020-01-20"
    assert not doc.text.startswith("标题,日期")


def test_a_report_without_its_title_line_that_announces_itself_in_its_opening_is_named_by_that_title():
    # "…等相关规定，现发布《河北省工业和信息化厅2016年度政府信息公开工作报告》。本报告由…"
    doc = read_documents(OTHERS / "hebei_gongxinting_2016.txt")[0]
    assert doc.title == "河北省工业和信息化厅2016年度政府信息公开工作报告"
    assert doc.kind == "annual_report" and doc.body == "河北省工业和信息化厅" and doc.year == 2016


def test_an_export_row_titled_with_the_year_before_the_genre_and_one_whose_title_the_site_cut_short_are_reports():
    (doc,) = read_documents(OTHERS / "hebei_gongxinting_2023.txt")  # "…2023年度政府信息公开工作报告"
    assert doc.id == "hebei_gongxinting_2023#1" and doc.title == "河北省工业和信息化厅2023年度政府信息公开工作报告"
    assert doc.published == "2024-01-26" and not doc.text.startswith("标题,")
    (doc,) = read_documents(OTHERS / "hebei_kejiting_2023.txt")  # "…2023年政府信息公开工作年度报..."
    assert doc.kind == "annual_report" and doc.body == "河北省科学技术厅" and doc.year == 2023


def test_table_two_written_one_cell_a_line_is_read_by_its_header_cells():
    from bot.facts.extract import extract_facts

    doc = read_documents(OTHERS / "hebei_jiaoyuting_2022.txt")[0]
    got = {(f.row, f.column): f.value for f in extract_facts(doc) if f.table == "二"}
    # "信息内容", "本年处理决定数量", "行政许可", "6267": one cell a line, one figure under a two-cell header
    assert got[("行政许可", "本年处理决定数量")] == 6267 and got[("行政事业性收费", "本年收费金额")] == 465.74
    assert got[("行政规范性文件", "现行有效件数")] == 159 and len(got) == 10


def test_a_body_shortened_is_the_same_body():
    from bot.retrieve.query import same_body

    assert same_body("河北省人社厅", "河北省人力资源和社会保障厅") and same_body("发改局", "发展和改革局")
    assert not same_body("河北省人社厅", "河北省民政厅") and not same_body("科委", "科技局")


@pytest.fixture(scope="module")
def hebei(tmp_path_factory):
    return service_over(tmp_path_factory.mktemp("hebei"), sorted(DATA.glob("*.txt")))


def test_a_body_named_short_finds_its_reports_written_out_in_other_years(hebei):
    # 2017's report writes 省人力资源社会保障厅, the question 人社厅: never "no 2017 report"
    ans = hebei.ask("河北省人社厅2017年受理的信息公开申请中，网上申请有几件？")
    assert ans.found and ans.citations[0].source == "hebei_rensheting_2017", ans.answer


def test_the_noun_a_relative_clause_leaves_out_and_measure_words_of_one_kind(hebei):
    # "…申请里，当面到现场提交的有多少件": the counted noun is 申请, not the verb 提交
    ans = hebei.ask("2017年河北省人力資源社會保障廳受理的資訊公開申請裡，當面到現場提交的有多少件？")
    assert ans.found and "现场申请" in ans.citations[0].quote, ans.answer
    # applications asked in 份 are counted in 件
    ans = hebei.ask("河北省人社厅2022年一共收到了多少份信息公开申请？")
    assert ans.found and ans.figure.unit == "件" and "申请" in ans.citations[0].quote, ans.answer


def test_a_rate_is_no_stated_share(hebei):
    ans = hebei.ask("2017年河北省人社厅的信息公开申请中，网上申请占全部申请的百分之几？")
    assert ans.found and "÷" in ans.answer, ans.answer  # computed from the two stated counts
    assert "办结率" not in ans.answer


def test_another_department_of_the_place_never_answers_for_the_one_asked(hebei):
    # the index holds 河北省人社厅's reports only: 河北省民政厅's figures are not theirs
    ans = hebei.ask("河北省民政厅2022年收到多少信息公开申请？")
    assert not ans.found, ans.answer
    # the department itself, and a hall of a government (政务大厅), are still answered from the place's reports
    assert hebei.ask("河北省人社厅2022年收到多少信息公开申请？").found


def test_an_english_department_that_no_report_of_the_place_is_gets_no_figure(hebei):
    # "Civil Affairs" renders to 民政…, nothing of 人社厅; "Human Resources and Social Security" is it
    other = hebei.ask("How many information disclosure requests did the Hebei Department of Civil Affairs receive "
                      "in 2022?")
    assert not other.found and "civil affairs" in other.answer.lower(), other.answer
    own = hebei.ask("How many information disclosure requests did the Hebei Department of Human Resources and "
                    "Social Security receive in 2022?")
    assert own.found and own.citations[0].source == "hebei_rensheting_2022", own.answer


def test_an_acronym_spells_a_bodys_name_through_the_dictionarys_glosses():
    from bot.retrieve.lexicon import spells

    # human resources (HR), social security (SS); 和 and the office 厅 left out, or the office's letter first
    assert spells("HRSS", "人力资源和社会保障厅") and spells("DHRSS", "人力资源和社会保障厅")
    assert spells("DRC", "发展和改革委员会") and spells("DST", "科技厅")
    assert not spells("HRSS", "教育厅") and not spells("HR", "人力资源厅")


@pytest.fixture(scope="module")
def hebei_two(tmp_path_factory):
    # the same province's education department beside it: "Hebei" alone names both
    other = Path(__file__).parent / "data" / "reports_e" / "hebei_jiaoyuting_2022.txt"
    return service_over(tmp_path_factory.mktemp("hebei2"), sorted(DATA.glob("*.txt")) + [other])


def test_a_body_named_by_its_acronym_is_answered_from_its_own_reports(hebei_two):
    ans = hebei_two.ask("How many information requests did Hebei HRSS receive in 2022?")
    assert ans.found and ans.citations[0].source == "hebei_rensheting_2022", ans.answer
    # the acronym and the body's noun are not words the answering sentence must hold
    ans = hebei_two.ask("How much did the Hebei HRSS department itself actually spend on information disclosure "
                        "in 2017?")
    assert ans.found and ans.figure.unit.endswith("元") and "支出" in ans.citations[0].quote, ans.answer


def test_the_reports_own_date_is_its_signature_not_a_date_its_sentences_mention(hebei):
    # "…无河北省人力资源和社会保障厅2020年1月20日更多信息请关注…": the body's name and the date end the report
    ans = hebei.ask("河北省人社厅2019年的年报是哪天发布的？")
    assert ans.found and ans.short.startswith("2020年1月20日") and "保障厅2020年1月20日" in ans.citations[0].quote, \
        ans.answer
    ans = hebei.ask("When was the Hebei human resources and social security department's 2018 report issued?")
    assert ans.found and "2019年1月30日" in ans.answer, ans.answer


def test_only_a_question_about_the_report_itself_asks_its_signature():
    from bot.answer.signature import REPORT_DATE

    assert REPORT_DATE.search("那份年报的落款日期是哪天") and REPORT_DATE.search("when did the bureau publish its 2019 report")
    assert not REPORT_DATE.search("2023年报告中提到的新闻发布会是哪天")
    assert not REPORT_DATE.search("on what date was the policy the report mentions issued")


def test_two_years_said_in_other_words_are_one_quantity_and_a_drop_is_asked_as_a_positive_figure(hebei):
    # "2018年受理政府信息依申请公开98件" and "全年共受理政府信息公开申请64件": the segmenter cuts them apart, their
    # characters agree
    ans = hebei.ask("河北省人社厅2019年受理的政府信息公开申请比2018年少了多少件？")
    assert ans.found and "98 − 64 = 34" in ans.answer, ans.answer


def test_a_negation_in_one_clause_only_is_another_quantity():
    from bot.answer.combine import _same_characters

    assert _same_characters(set("年受理政府信息依申请公开件"), set("全年共受理政府信息公开申请件"))
    assert not _same_characters(set("主动公开政府信息条"), set("不予公开政府信息条"))


def test_pinyin_written_beside_its_characters_and_a_glossed_word_before_the_counted_noun(hebei):
    from bot.answer.concepts import _spelled_in_chinese

    assert _spelled_in_chinese("the Yangguang Lizheng (阳光理政) platform") == {"yangguang", "lizheng"}
    assert _spelled_in_chinese("the Yangguang Lizheng platform") == frozenset()
    # "受理《阳光理政》问政平台线上留言320条": "online" qualifies "messages", which the report calls 留言
    ans = hebei.ask("How many messages did Hebei's human resources department take in on the Yangguang Lizheng "
                    "(阳光理政) platform in 2019?")
    assert ans.found and ans.figure.value == "320", ans.answer


def test_a_list_the_question_widens_with_deng_itself_is_answered_by_the_reports_list(hebei):
    # "全年在厅门户网站公开行政执法公示，行政许可，行政处罚等信息128条": the question's own 等 asks that whole list
    ans = hebei.ask("河北省人社厅2018年在网站公开的行政执法公示、行政许可、行政处罚等信息有多少条？")
    assert ans.found and ans.figure.value == "128", ans.answer


def test_being_sued_in_plain_words_and_a_figure_counting_two_things_together(hebei):
    # "2017年省人社厅涉及政府信息公开的行政复议和行政诉讼案件共2件": 被告 and 官司 are the template's 行政诉讼; both
    # asked together, the joint figure answers ("几次" of cases: counted in 件)
    both = hebei.ask("河北省人社厅2017年因为信息公开的事被复议、被告了几次？")
    assert both.found and both.figure.value == "2" and "行政诉讼案件共2件" in both.citations[0].quote, both.answer
    # one of the two asked alone: the joint figure is not its figure
    for question in ("河北省人社厅2017年因为信息公开被告了几次？", "河北省人社厅2017年信息公开行政复议有几件？"):
        ans = hebei.ask(question)
        assert not ans.found and ans.figure is None, ans.answer

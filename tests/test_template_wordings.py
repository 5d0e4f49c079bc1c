"""Statutory-table questions in plain everyday words (set K over the shipped corpus) and on real crawled reports
whose tables arrive flattened or cut into lines (set L, tests/data/reports_l, provenance in its SOURCES.md): which
row, column and report a plain wording means, and the facts of those reports. Real text throughout."""

from pathlib import Path

import pytest

from bot.answer.intent import intent
from bot.answer.table import named_row_terms
from bot.facts import cells
from bot.facts.extract import extract_facts
from bot.ingest import read_documents
from bot.ingest.sections import split_heading
from bot.retrieve.query import analyze, expand_contractions, own_name
from bot.text import normalize
from tests.conftest import service_over

REPORTS_L = Path(__file__).parent / "data" / "reports_l"
CORPUS = Path(__file__).parent.parent / "corpus"


def _rows(question: str) -> set[str]:
    return named_row_terms(normalize(expand_contractions(question)))


@pytest.mark.parametrize("question, rows", [
    ("洪泽区2023年有多少份信息公开申请被完全公开？", {"予以公开"}),
    ("2024年宿迁市有多少件信息公开请求得到了完整公开？", {"予以公开"}),
    ("宿迁2024年有多少件申请到年底还没办完、要转到下一年继续办？", {"结转下年度"}),
    # the reason tells the row, the asker's verb for the outcome is loose
    ("How many requests did Huai'an turn down in 2024 because the city simply didn't have the information?", {"不掌握"}),
    ("How many requests did the Shanghai government general office refuse to process in 2025 because they were "
     "petitions, reports or complaints?", {"信访举报投诉"}),
    ("Suqian 2023: number of applications that could not be provided because no ready-made information existed",
     {"另行制作"}),
    # what the asker leaves out names no row; "into 2022 from the previous year" is the report's 上年结转
    ("沭阳县2025年新收到多少件政府信息公开申请（不含上年结转的）？", {"本年新收"}),
    ("How many new information requests did Suqian get in 2024, not counting ones carried over from the year before?",
     {"本年新收"}),
    ("How many information requests did the Pingtan public security bureau carry over into 2022 from the previous "
     "year?", {"上年结转"}),
])
def test_plain_wordings_name_the_template_row_they_mean(question, rows):
    assert _rows(question) == rows


def test_contractions_are_read_as_negations():
    assert expand_contractions("the city didn't have it, can't and won't") == "the city did not have it, can not and will not"


@pytest.mark.parametrize("question, cell", [
    ("2024年淮安市收到的信息公开申请里，有多少份是公司提的？", ("三", "一", "商业企业")),
    ("In 2024, how many information disclosure lawsuits involving Hongze district were brought after the applicant "
     "had first gone through administrative reconsideration?", ("四", "行政诉讼.复议后起诉", "总计")),
    ("平潭綜合實驗區行政審批局2021年有多少件信息公開申請要留到下一年度繼續辦理？", ("三", "四", "总计")),
])
def test_a_plain_wording_targets_one_cell_and_leaves_nothing_outside_the_template(question, cell):
    norm = normalize(question)
    lang = "en" if question.isascii() else "zh"
    assert cells.target(question, named_row_terms(norm), plain_means_new=lang != "en") == cell
    places = {"淮安", "洪泽", "平潭", "平潭综合实验区行政审批局", "hongze"}
    assert cells._residue(question, norm, lang, places) == []


@pytest.mark.parametrize("question", [
    "洪泽区2023年通过网上提交的申请有多少件？",  # a channel before the verb of receiving is a qualifier
    "Of the information requests the Pingtan police received in 2024, how many were about residential compound "
    "filing records?",  # a topic: no template cell counts requests by what they asked
])
def test_a_qualifier_outside_the_template_keeps_the_question_from_a_cell(question):
    norm = normalize(question)
    lang = "en" if question.isascii() else "zh"
    assert cells._residue(question, norm, lang, {"洪泽", "平潭", "pingtan"})


def _units(question: str) -> tuple[str, ...]:
    return intent(analyze(question)).units


def test_the_counted_noun_first_gives_the_measure_words_whatever_follows_it():
    assert "天" in _units("What was the average number of days Huai'an took to answer a request in 2024?")
    assert "期" in _units("How many notices about abandoned infants did the Pingtan police publish?")
    assert "次" in _units("How many people came in person to ask Jiexiu for information in 2009?")


def test_a_report_announcing_itself_in_its_opening_is_titled_without_the_verb():
    doc = read_documents(REPORTS_L / "hebei_jiaoyuting_2021.txt")[0]
    assert (doc.body, doc.year) == ("河北省教育厅", 2021)
    assert doc.title.startswith("河北省教育厅2021年")


def test_a_flattened_table_row_with_a_space_before_its_digits_is_no_heading():
    assert split_heading("二、上年结转政府信息公开申请数量 0000000") is None
    assert split_heading("三、收到和处理政府信息公开申请情况") is not None


def test_every_row_of_a_one_line_pages_flattened_table_becomes_facts():
    doc = read_documents(REPORTS_L / "pingtan_gonganju_2024.txt")[0]
    totals = {f.row: f.value for f in extract_facts(doc) if f.table == "三" and f.column == "总计"}
    # "本机关不掌握相关政府信息 40000042.没有现成…": 4, then the next row's number
    assert totals["三.（四）.1"] == 4 and totals["三.（一）"] == 3 and totals["二"] == 0 and totals["一"] == 8


@pytest.fixture(scope="module")
def hebei(tmp_path_factory):
    return service_over(tmp_path_factory.mktemp("hebei"), sorted(REPORTS_L.glob("hebei_*.txt")))


@pytest.mark.slow
def test_a_body_shortened_with_or_without_its_place_names_its_report(hebei):
    catalog = hebei.retriever.catalog
    assert analyze("省工信厅2022年有多少件申请因为本机关不掌握相关信息而无法提供？", catalog).doc_ids == (
        "hebei_gongxinting_2022#1",)
    assert analyze("河北科技厅2022年予以公开的申请有几件？", catalog).doc_ids == ("hebei_kejiting_2022",)
    answer = hebei.ask("河北工信厅2022年作出了多少个行政许可决定？")
    assert answer.found and answer.short.startswith("194") and answer.citations[0].source == "hebei_gongxinting_2022#1"


@pytest.mark.slow
def test_a_part_listed_after_a_lead_naming_the_whole_does_not_answer_for_the_whole(tmp_path):
    service = service_over(tmp_path, [CORPUS / "shanghai_kewei_2024.txt"])
    answer = service.ask("How many applications did the Shanghai Science and Technology Commission handle to "
                         "completion in 2024?")
    # "所有办结的信息公开申请中同意公开答复 9 件，部分公开答复 0 件，…": 9 is the part disclosed, not the whole
    assert not (answer.found and answer.short.startswith("9"))


def test_a_table_two_row_with_ideographic_spaces_between_its_cells_is_split_by_them():
    doc = read_documents(REPORTS_L / "hebei_kejiting_2022.txt")[0]
    cells_of = {f.column: f.value for f in extract_facts(doc) if f.table == "二" and f.row == "行政规范性文件"}
    # "行政规范性文件　　13　　8　　49"
    assert cells_of == {"本年制发件数": 13, "本年废止件数": 8, "现行有效件数": 49}


def test_what_requests_were_about_is_a_topic_but_government_information_is_not():
    assert intent(analyze("Of the requests the Pingtan police received in 2024, how many were about residential "
                          "compound filing records?")).topic
    assert intent(analyze("2024年收到的申请中涉及小区备案信息的有多少件？")).topic
    assert not intent(analyze("How many public inquiries did Jiexiu city field in 2009 about government information?")).topic


@pytest.fixture(scope="module")
def police(tmp_path_factory):
    return service_over(tmp_path_factory.mktemp("police"), [REPORTS_L / "pingtan_gonganju_2024.txt"])


@pytest.mark.slow
def test_the_part_a_topic_names_answers_not_the_total_before_it(police):
    # "…申请共计8件，申请事项涉及政策法规信息1件、机构设置信息1件、小区备案信息6件"
    answer = police.ask("Of the information requests the Pingtan police received in 2024, how many were about "
                        "residential compound filing records?")
    assert answer.found and answer.short.startswith("6")
    assert police.ask("平潭公安局2024年一共收到多少件政府信息公开申请？").short.startswith("8")


DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def pingtan(tmp_path_factory):
    """Five real Pingtan reports: four bodies of the zone (two of 2021, two of 2024) and a county bureau of 2011."""
    return service_over(tmp_path_factory.mktemp("pingtan"), [
        DATA / "reports_d" / "pingtan_shenpiju_2021.txt", DATA / "reports_j" / "pingtan_shijianju_2021.txt",
        DATA / "reports_j" / "pingtan_junshanpianqu_2024.txt", REPORTS_L / "pingtan_gonganju_2024.txt",
        DATA / "reports_j" / "pingtanxian_jiaoyuju_2011.txt"])


@pytest.mark.slow
def test_the_closest_body_name_chooses_among_one_places_reports(pingtan):
    catalog = pingtan.retriever.catalog
    # the 市 of 市场监督管理局 is the body's own, not a level; "平潭市场监管局" shortens it
    assert own_name("pingtan_shijianju_2021", catalog).strip() == "市场监督管理局"
    assert analyze("平潭市场监管局2021年作出了多少件行政强制决定？", catalog).doc_ids[:1] == ("pingtan_shijianju_2021",)
    # "administrative penalty" says 行政 of 行政审批局; the words before "bureau" name the body
    answer = pingtan.ask("How many administrative penalty decisions did the Pingtan market regulation bureau make in "
                         "2021?")
    assert answer.found and answer.short.startswith("211") and answer.citations[0].source == "pingtan_shijianju_2021"


@pytest.mark.slow
def test_a_zone_named_inside_its_parent_place_is_the_zones_report(pingtan):
    info = analyze("Total number of application handling results of the Junshan Area Administration of Pingtan, 2024",
                   pingtan.retriever.catalog)
    assert info.doc_ids == ("pingtan_junshanpianqu_2024",)
    answer = pingtan.ask("君山片区管理局2024年有几件申请因本机关不掌握相关政府信息而无法提供？")
    assert answer.found and answer.short.startswith("2")
    # the police bureau's flattened row "1.本机关不掌握相关政府信息 4000004" is read as cells, never as one figure
    police = pingtan.ask("平潭公安局2024年有几件申请因为本机关不掌握相关信息而无法提供？")
    assert police.found and police.short.startswith("4") and "4000004" not in police.short


def test_refused_in_everyday_chinese_is_the_not_disclosed_row():
    assert _rows("平潭审批局2021年有几件申请因为属于行政查询事项被拒绝公开？") == {"行政查询"}
    assert _rows("2021年有几件申请被拒绝公开？") == {"不予公开"}


@pytest.fixture(scope="module")
def xiaogan(tmp_path_factory):
    """孝感市人民政府办公室 2020: the 2019–2020 template's table 二, its last row cut short ("其他主动公开文件 | 56 | 45")."""
    return service_over(tmp_path_factory.mktemp("xiaogan"), [DATA / "reports_h" / "xiaogan_shizhengfuban_2020.txt"])


@pytest.mark.slow
def test_a_table_two_row_answers_only_for_itself_and_only_a_column_it_can_tell(xiaogan):
    # the row asked has its columns without headers: which of 56 and 45 is 新公开 is not shown, so no figure
    other = xiaogan.ask("孝感市政府办2020年其他主动公开文件新公开了多少件？")
    assert not other.found or other.short.startswith("45")
    assert "11" not in (other.short or "")  # never the 规范性文件 row's figure
    # "total number publicly available" is the 对外公开总数量 column, not the first one
    rules = xiaogan.ask("Regulations: total number publicly available, Xiaogan Municipal People's Government General "
                        "Office, 2020")
    assert not rules.found or rules.short.startswith("3")
    assert xiaogan.ask("孝感市政府办公室2020年规范性文件对外公开总数量是多少？").short.startswith("119")


def test_of_several_dates_the_one_whose_clause_says_what_was_asked_answers():
    from bot.answer.candidates import _bind_date
    from bot.answer.concepts import Concept
    # 平潭社会事业局 2019 (tests/data/reports_j)
    text = ("医疗救助方面，实施贫困人口大病保险倾斜政策，2019年5月1日起，降低医保缴费基数，8月1日起，贫困人口大病保险起付线"
            "由降低为1.35元，报销比例提高至65%，并取消年度封顶线，减轻群众就医负担；")
    asked = [Concept(("起付线",), 2.0), Concept(("大病保险",), 1.0)]
    assert _bind_date(text, asked)[0].raw == "8月1日"
    assert _bind_date(text, [Concept(("缴费基数",), 2.0)])[0].raw.endswith("5月1日")


@pytest.mark.parametrize("question, units", [
    ("How many rounds of clean-up did the Hebei Education Department run on its normative documents in 2021?", "次"),
    ("How many items did the Hebei Department of Industry and Information Technology publish in 2022?", "篇"),
])
def test_the_counted_noun_takes_the_measure_words_reports_count_it_in(question, units):
    assert units in _units(question)


def test_a_loan_is_an_amount_of_money():
    from bot.answer.intent import MONEY
    assert intent(analyze("河北人社厅2018年全年发放了多少创业担保贷款？")).atype == MONEY


@pytest.mark.slow
def test_a_sentence_of_parts_answers_with_the_whole_it_continues(tmp_path):
    # 信丰县卫生健康委 2023: "…全年主动公开政府信息数465条,内容涉及…工作动态…。其中…政策文件8条、…工作动态362条。"
    service = service_over(tmp_path, [DATA / "reports_g" / "xinfeng_weijianwei_2023.txt"])
    answer = service.ask("信丰县卫健委2023年主动公开的信息里，工作动态类有多少条？")
    assert answer.found and answer.short.startswith("362")
    assert service.ask("信丰县卫健委2023年一共主动公开了多少条政府信息？").short.startswith("465")


def test_a_chinese_word_written_in_pinyin_is_found_by_its_sound():
    from bot.answer.pinyin import spelled_in
    # 河北人社厅 2023 (tests/data/reports_f), 咸宁市民政局 2015 (corpus)
    assert spelled_in("Douyin", ["河北人社抖音发布视频448条，河北人社视频号发布视频352条"]) == ("抖音",)
    assert spelled_in("wubao", ["农村五保对象10631人，五保供养资金4906.29万元"]) == ("五保",)
    assert spelled_in("video", ["河北人社抖音发布视频448条"]) == ()


@pytest.mark.slow
def test_an_english_question_naming_a_platform_in_pinyin_is_answered_from_it(tmp_path):
    service = service_over(tmp_path, [DATA / "reports_f" / "hebei_rensheting_2023.txt"])
    answer = service.ask("How many videos did Hebei HRSS post on Douyin in 2023?")
    assert answer.found and answer.short.startswith("448")


def test_the_report_named_by_its_year_is_the_one_searched_beside_the_figures_year():
    assert analyze("How many administrative penalty items did the Wuhan environment bureau have on its list in 2019, "
                   "according to its 2020 report?").year == 2020
    assert analyze("2020年报告中，2019年的行政许可事项有几项？").year == 2020
    assert analyze("淮安市2024年收到多少申请？").year == 2024

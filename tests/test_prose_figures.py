"""Figures in prose reports and one-line crawled pages (set I on the seeds, set J on tests/data/reports_j):
numerals and measure words, figures the question states itself, undated articles, and the metadata of run-on
pages. Real text throughout; provenance of reports_j in its SOURCES.md."""

from pathlib import Path

import pytest

from bot.answer.intent import COUNT, answer_type, intent
from bot.answer.numbers import extract_quantities
from bot.ingest import read_documents
from bot.retrieve.query import analyze
from tests.conftest import service_over

DATA = Path(__file__).parent / "data"
SEEDS = Path(__file__).parent.parent / "corpus"
REPORTS_J = DATA / "reports_j"


def _figures(text: str) -> list[tuple[str, str, str]]:
    return [(q.value, q.unit, q.kind) for q in extract_quantities(text)]


def test_numerals_measure_words_ordinals_and_bare_years_are_read_for_what_they_are():
    assert _figures("建立健全的规章制度共分有五大类52个") == [("5", "类", "number"), ("52", "个", "number")]
    assert _figures("本报告由总体情况等共六个部分组成") == []  # 六个部分: a word of the genre, no figure
    assert _figures("（国务院令第711号，以下简称《条例》）") == [("711", "", "ordinal")]
    assert _figures("成功举办2019第六届“海洋杯”") == [("2019", "", "year")]
    assert _figures("目前已投入资金58.5万,核对平台已基本建成") == [("58.5", "万元", "number")]
    assert _figures("时间在3天以下的有931笔") == [("3", "天", "number"), ("931", "笔", "number")]


@pytest.mark.parametrize("question, units", [
    ("立岗镇2014年定的44项具体公开内容分成了几类？", ("类",)),
    ("财政与编制政务公开办公室清理的1218笔专项资金里，3天以内拨出去的有多少笔？", ("笔",)),
])
def test_a_measure_word_asked_makes_a_count_whatever_money_words_the_question_holds(question, units):
    info = analyze(question)
    assert answer_type(info) == COUNT
    it = intent(info)
    assert it.units == units
    assert ("1218", "笔") in it.given or "1218" not in question  # stated: never the answer


def test_metadata_of_one_line_crawled_pages_comes_from_their_run_on_title_signature_or_contact_line():
    got = {p.stem: (d.body, d.year) for p in sorted(REPORTS_J.glob("*.txt")) for d in read_documents(p)}
    assert got["pingtan_haitanpianqu_2022"] == ("平潭综合实验区海坛片区管理局", 2022)  # title at the line's start
    assert got["pingtanxian_jiaoyuju_2011"] == ("平潭县教育局", 2011)  # after another body's breadcrumb
    assert got["pingtan_shehuishiyeju_2019"] == ("平潭综合实验区社会事业局", 2019)  # not the 通知 it cites
    assert got["pingtanxian_anjianju_2012"] == ("平潭县安全生产监督管理局", 2012)  # no title: its signature
    assert got["pingtan_junshanpianqu_2024"] == ("平潭综合实验区君山片区管理局", 2024)  # no title: its contact line


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    return service_over(tmp_path_factory.mktemp("seeds"), [SEEDS / "004_4c6f1f2b9bd1da5f.txt"])


def test_an_undated_article_answers_a_question_naming_a_year(seeds):
    # 彭阳县政务服务中心's article is dated only in its byline ("2010年11月10日"): its year is unknown, not another
    ans = seeds.ask("彭阳县政务服务中心截至2010年10月底的即办件有多少件？")
    assert ans.found and ans.figure.value == "8803", ans.answer


def test_a_place_said_in_an_article_without_its_suffix_is_searched_there(seeds):
    # the article says 和谐海陵, never 海陵区; its metadata names no place, so it may be 海陵's own
    ans = seeds.ask("“阳光民政”那篇里的海陵区民政局，是哪一年被省民政厅评为“省村民自治模范区”的？")
    assert ans.found and ans.answer.startswith("2002年"), ans.answer


def test_a_figure_the_question_states_is_never_its_answer_and_locates_the_clause(seeds):
    ans = seeds.ask("财政与编制政务公开办公室清理的1218笔专项资金里，3天以内拨出去的有多少笔？")
    assert ans.found and ans.figure.value == "931", ans.answer


def test_a_list_of_nouns_inside_one_item_stays_with_its_figure():
    from bot.answer.candidates import figure_clauses

    got = figure_clauses("全年在牡丹江市民政信息网主动发布信息793条,其中,87条被省民政厅采用,28条被市委、市政府信息网站或刊物采用。")
    assert got[-1] == "28条被市委、市政府信息网站或刊物采用。"  # not "28条被市委" and a figureless rest
    assert figure_clauses("其中当面申请82件、网络申请29件") == ["其中当面申请82件", "网络申请29件"]


def test_two_dictionary_renderings_of_english_words_choose_a_part_after_its_total(tmp_path):
    service = service_over(tmp_path, [SEEDS / "001_d6e3f92ae18b423a.txt"])
    # "全市共下拨使用救灾资金4200.7万元,其中省拨资金3948万元,地方配套资金252.7万元": local -> 地方, matching -> 配套
    ans = service.ask("Of the disaster relief money used in Xianning in 2015, how much was local matching funding "
                      "(10,000 yuan)?")
    assert ans.found and ans.figure.value == "252.7", ans.answer


@pytest.fixture(scope="module")
def mudanjiang(tmp_path_factory):
    return service_over(tmp_path_factory.mktemp("mdj"), [SEEDS / "000_ef4fad13e9076686.txt"])


def test_a_yes_or_no_reads_the_negation_of_a_traditional_character_report(mudanjiang):
    # "2009年我局政府信息公開工作沒有發生相關收費和減免情況。": 沒有 is 没有
    for question, no in (("牡丹江市民政局2009年提供政府信息時有沒有收過費用?", "没有"),
                         ("Did the Mudanjiang civil affairs bureau charge any fees for providing information in 2009?", "No")):
        ans = mudanjiang.ask(question)
        assert ans.found and ans.short.startswith(no), ans.answer


def test_which_official_asks_for_a_person(mudanjiang):
    ans = mudanjiang.ask("Which Mudanjiang civil affairs bureau official led the 2009 overhaul of the bureau's rules?")
    assert ans.found and ans.short.startswith("刘兴贵"), ans.answer


def test_the_counted_noun_asked_binds_the_figure_whose_measure_it_follows(tmp_path):
    service = service_over(tmp_path, [SEEDS / "002_c82a9a4dc1c27d10.txt"])
    # "共设置专栏8个大项56个子项": 子项 is counted by 56
    ans = service.ask("介休市政府门户网站2009年改版后，信息公开专栏一共设了多少个子项？")
    assert ans.found and ans.figure.value == "56", ans.answer


def test_eval_judges_a_yes_or_no_by_what_it_says_not_by_its_quote():
    from bot.evaluate import _polarity_ok

    row = {"expect_any": ["没有", "未发生"]}
    assert _polarity_ok("没有 [1]", row) and not _polarity_ok("有 [1]", row)
    assert _polarity_ok("Yes [1]", {"expect_any": ["有", "yes"]}) and _polarity_ok("141件 [1]", row)


def test_a_question_naming_an_indexed_place_is_never_taken_for_noise(tmp_path):
    service = service_over(tmp_path, [SEEDS / "003_d3c98314bfcdc399.txt", SEEDS / "002_c82a9a4dc1c27d10.txt"])
    # its words are no indexed words (独生子女证: the report says 独生子女办证90户), but it names 立岗镇
    ans = service.ask("2014年立岗镇给多少户办了独生子女证？")
    assert ans.found and ans.figure.value == "90", ans.answer
    # "这些渠道" lists like 等: "政务公开栏、简报等渠道公开2000余条"
    ans = service.ask("介休市2009年通过政务公开栏、简报这些渠道公开了多少条信息？")
    assert ans.found and ans.figure.value == "2000", ans.answer


def test_the_genres_receiving_verb_is_not_required_of_a_count_of_applications(tmp_path):
    service = service_over(tmp_path, [REPORTS_J / "pingtan_shehuishiyeju_2019.txt"])
    # "依申请公开信息数1条": the count of applications, said without 收到; the asker's 几件 for the report's 条
    ans = service.ask("平潭社会事业局2019年收到了几件依申请公开？")
    assert ans.found and ans.figure.value == "1", ans.answer


def test_a_complement_said_without_chu_is_computed_from_the_whole_and_its_part(tmp_path):
    service = service_over(tmp_path, sorted((DATA / "reports_f").glob("hebei_rensheting_*.txt")))
    # "2022年共公开政策文件58件，其中规范性文件10件、各类政策文件48件": "规范性文件以外的" leaves 10 out of 58
    ans = service.ask("2022年河北省人力资源和社会保障厅主动公开的政策文件里，规范性文件以外的各类政策文件有多少件？")
    assert ans.found and ans.figure.value == "48" and "58 − 10" in ans.answer, ans.answer

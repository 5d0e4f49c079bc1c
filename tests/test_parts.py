"""Combined questions split into single-figure questions (bot/answer/parts.py), on the shipped reports' catalog."""

import pytest

from bot.answer.parts import named_reports, plan
from bot.retrieve import analyze
from bot.retrieve.query import Catalog


@pytest.fixture(scope="module")
def catalog(corpus_docs):
    return Catalog.from_documents(corpus_docs.values())


def _plan(question, catalog):
    return plan(analyze(question, catalog), catalog)


def test_two_years_of_one_body_are_two_operands(catalog):
    p = _plan("洪泽区2023年和2024年在政府网站主动公开的信息加起来多少条?", catalog)
    assert p.op == "sum" and [o.year for o in p.operands] == [2023, 2024]
    assert all(set(o.doc_ids) == {"hongze_2023", "hongze_2024"} for o in p.operands)
    # each operand asks about its own year only
    assert "2024" not in p.operands[0].text and "2023" not in p.operands[1].text


def test_a_city_and_its_district_are_separate_operands_in_the_order_named(catalog):
    p = _plan("宿迁市2024年的行政处罚决定比淮安市2024年多多少?", catalog)
    assert p.op == "difference"
    assert [o.doc_ids for o in p.operands] == [("suqian_2023", "suqian_2024"), ("huaian_2024",)]
    assert "比" not in p.operands[0].text and "多多少" not in p.operands[0].text  # one figure each
    # naming the city alone does not pull in its district's reports
    assert named_reports(analyze("淮安市2024年不予公开多少件?", catalog), catalog) == ("huaian_2024",)


def test_a_coordination_in_one_report_gives_one_question_per_conjunct(catalog):
    p = _plan("淮安市2024年不予公开和无法提供的申请一共多少件?", catalog)
    assert p.op == "sum" and [o.label for o in p.operands] == ["不予公开", "无法提供"]
    first, second = (o.text for o in p.operands)
    assert "不予公开" in first and "无法提供" not in first and "一共" not in first
    assert "无法提供" in second and "不予公开" not in second and first.startswith("淮安市2024年")


def test_an_english_coordination(catalog):
    p = _plan(
        "How many lawsuits were filed against the Shanghai general office in 2025 in total, directly "
        "plus after reconsideration?",
        catalog,
    )
    assert p.op == "sum" and [o.label for o in p.operands] == ["directly", "after reconsideration"]


def test_a_share_has_its_whole_then_its_part(catalog):
    p = _plan("宿迁市2024年收办的申请中自然人申请占多少比例?", catalog)
    assert p.op == "share" and [o.label for o in p.operands] == ["收办的申请", "自然人申请"]
    p = _plan("What share of Suqian's applications in 2024 came from natural persons?", catalog)
    assert p.op == "share" and "came from natural persons" in p.operands[1].text


@pytest.mark.parametrize(
    "question",
    [
        "淮安市2024年一共收到多少政府信息公开申请?",  # 一共 of one figure
        "宿迁市2024年收办的申请比2023年增长了百分之几?",  # a change in percent: reports state it
        "What did the early-completion rate rise to after the system went live?",  # a level, not a change
        "How many industry and commerce inquiries were answered?",  # 'and' inside a name, no total asked
    ],
)
def test_questions_for_one_figure_are_not_split(catalog, question):
    assert _plan(question, catalog) is None


def test_a_share_whose_whole_ends_with_a_comma(catalog):
    p = _plan("上海市政府办公厅2025年受理的申请中，结转到下年度继续办理的占多大比例？", catalog)
    assert p.op == "share" and [o.label for o in p.operands] == ["受理的申请", "结转到下年度继续办理的"]


def test_the_template_row_of_last_years_applications_is_no_second_year(catalog):
    p = _plan("上海市科委2024年上年结转和本年新收的申请合计多少件？", catalog)
    assert [o.label for o in p.operands] == ["上年结转", "本年新收"] and all(o.year is None for o in p.operands)
    from bot.facts.questions import years_named

    assert years_named("淮安市2024年比上年多收了多少申请？") == [2023, 2024]
    assert years_named("How many requests did Huai'an carry over from last year in 2024?") == [2024]


def test_each_operand_asks_for_its_own_figure_only(catalog):
    p = _plan("How many more items did Hongze publish proactively on its website in 2024 than in 2023?", catalog)
    assert [o.text for o in p.operands] == [
        "How many items did Hongze publish proactively on its website in 2023?",
        "How many items did Hongze publish proactively on its website in 2024?"]
    p = _plan("洪泽区2024年的行政许可决定数是2023年的多少倍？", catalog)
    assert p.op == "ratio" and [o.year for o in p.operands] == [2024, 2023]  # in the order asked
    assert p.operands[0].text == "洪泽区2024年的行政许可决定数是多少？" and "2024" not in p.operands[1].text


def test_two_rows_asked_together_are_added(catalog):
    p = _plan("淮安市2024年予以公开和部分公开的申请有多少件？", catalog)
    assert p.op == "sum" and [o.label for o in p.operands] == ["予以公开", "部分公开"]
    assert _plan("淮安市2024年予以公开和部分公开的申请分别有多少件？", catalog) is None  # each: two figures


def test_which_one_has_more_pairs_each_place_with_its_own_year(catalog):
    """'A 2025 and B 2024, which has more': a ranking, A with 2025 and B with 2024 (the order written, not sorted)."""
    p = _plan("上海市政府办公厅2025年和淮安市政府2024年，哪一家本年新收的政府信息公开申请更多？", catalog)
    assert p.op == "max"
    assert [(o.doc_ids, o.year) for o in p.operands] == [(("shanghai_bgt_2025",), 2025), (("huaian_2024",), 2024)]


def test_the_compared_year_leaves_the_other_operands_question(catalog):
    p = _plan("洪泽区2024年的行政许可处理决定数比2023年增加了多少？", catalog)
    assert p.op == "difference"
    texts = {o.year: o.text for o in p.operands}
    assert "2024" not in texts[2023] and "比" not in texts[2024] and "2023" not in texts[2024]


def test_a_share_written_part_first(catalog):
    """"X占Y的比例": the part is named before its whole."""
    p = _plan("宿迁市2024年不予公开的申请占全部申请的比例是多少？", catalog)
    assert p.op == "share" and [o.label for o in p.operands] == ["全部申请", "不予公开的申请"]


@pytest.mark.parametrize("question, whole, part", [
    ("淮安2024年行政复议案件中，结果被纠正的比例是多少？", "行政复议案件", "结果被纠正"),
    ("Of all the applications Hongze handled in 2024, what percentage were fully disclosed?",
     "applications hongze handled in 2024", "fully disclosed"),
    ("What percentage of Hongze's 2023 applications ended as unable to provide?", "hongze's 2023 applications",
     "unable to provide"),
])
def test_share_wordings_give_whole_and_part(catalog, question, whole, part):
    p = _plan(question, catalog)
    assert p.op == "share" and [o.label.lower() for o in p.operands] == [whole, part]


def test_a_share_part_that_is_a_clause_keeps_the_wholes_words(catalog):
    p = _plan("淮安市2024年新收的申请里，自然人提的占几成？", catalog)
    assert p.operands[1].text.startswith("淮安市2024年新收的申请中自然人提的")


def test_a_list_of_four_is_four_operands(catalog):
    p = _plan("咸宁市民政局2015年社会救助、社会组织、慈善组织、行政审批这四个栏目一共更新了多少条信息？", catalog)
    assert p.op == "sum" and [o.label for o in p.operands] == ["社会救助", "社会组织", "慈善组织", "行政审批"]


def test_three_places_two_of_them_in_one_year(catalog):
    """'淮安市2024年、沭阳县2025年、上海市政府办公厅2025年': the years as written, one per place."""
    p = _plan("淮安市2024年、沭阳县2025年、上海市政府办公厅2025年这三家中，行政复议最少的是哪家？", catalog)
    assert p.op == "min" and [o.year for o in p.operands] == [2024, 2025, 2025]


def test_two_rows_of_one_report_compared(catalog):
    """'carried over into the next year than from the previous year': two template rows, in the order named; the
    previous year of 上年结转 is a row, not a second year."""
    p = _plan("For the Shanghai general office in 2025, how many more applications were carried over into the next "
              "year than had been carried over from the previous year?", catalog)
    assert p.op == "difference" and [o.label for o in p.operands] == ["结转下年度", "上年结转"]


def test_each_side_of_a_times_question_asks_its_own_figure(catalog):
    """'A…是B…的多少倍': A's side and B's side, each with its own year."""
    p = _plan("淮安市政府2024年收取的信息处理费是沭阳县2025年全县收取金额的多少倍？", catalog)
    assert p.op == "ratio"
    assert [o.text for o in p.operands] == ["淮安市政府2024年收取的信息处理费是多少？", "沭阳县2025年全县收取金额是多少？"]


def test_two_rows_are_ordered_as_named_also_in_the_askers_words(catalog):
    """The order of two compared rows comes from the template-row matcher itself, so a row named with a word
    between its halves ("全部给公开") is placed where it stands."""
    p = _plan("淮安市2024年全部给公开的比部分公开的多多少件？", catalog)
    assert [o.label for o in p.operands] == ["予以公开", "部分公开"]

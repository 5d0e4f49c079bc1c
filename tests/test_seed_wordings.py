"""Plain wordings over the shipped pre-2019 prose reports (set O's kind of question): the counted noun that follows a
figure, a month that is no count, a count asked before "when", and a body's own words that do not pick a part.
Real text of the shipped corpus throughout (corpus/004: a 2010 county service centre, a 2007 finance office)."""

from pathlib import Path

import pytest

from bot.answer.intent import COUNT, answer_type
from bot.answer.numbers import extract_quantities
from bot.retrieve.query import analyze
from tests.conftest import service_over

CORPUS = Path(__file__).parent.parent / "corpus"


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

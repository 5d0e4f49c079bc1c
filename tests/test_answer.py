"""Answers on the real corpus: figures bound to the asked term, quotes, honesty, numbers only from evidence."""

import re
from pathlib import Path

import pytest

from bot.answer.numbers import unsupported_numbers
from bot.evaluate import contains_expected, load_qa, run_eval

pytestmark = pytest.mark.slow
ROOT = Path(__file__).parents[1]
DEV = ROOT.parent / "shared" / "qa" / "dev.jsonl"


def _answer_body(answer: str) -> str:
    return "\n".join(l for l in answer.splitlines() if not re.match(r"^\[\d+\] ", l))


def _shown_numbers(ans) -> str:
    """The text whose numbers must all be quoted: for a computed answer its operands (the result is computed
    from them and shown with its arithmetic), else the answer less its citation lines."""
    if any(n.startswith("computed:") for n in ans.notes):
        return ans.figure.counts.split("=")[0]
    return _answer_body(ans.answer)


def test_figure_is_bound_to_the_asked_term_not_a_neighbour(built):
    _, service = built
    ans = service.ask("牡丹江市民政局2009年当面申请有多少件?")
    assert ans.found and ans.answer.startswith("82件")
    ans = service.ask("牡丹江市民政局2009年網絡申請有多少件?")
    assert ans.found and ans.answer.startswith("29件")
    c = ans.citations[0]
    doc = service.document(c.source)
    assert doc.text[c.start:c.end] == c.quote and "29" in c.quote and c.section.startswith("三、")


def test_table_rows_give_the_named_column(built):
    _, service = built
    ans = service.ask("In Huai'an's 2024 report, how many applications were answered with 本机关不掌握相关政府信息?")
    assert ans.answer.startswith("769") and ans.citations[0].source == "huaian_2024"


def test_every_number_shown_is_in_the_quoted_evidence(built):
    _, service = built
    questions = [r["question"] for r in load_qa(ROOT / "qa" / "extra.jsonl")]
    if DEV.exists():
        questions += [r["question"] for r in load_qa(DEV)]
    for q in questions:
        ans = service.ask(q)
        if ans.found:
            assert ans.citations, q
            assert unsupported_numbers(_shown_numbers(ans), [c.quote for c in ans.citations]) == [], q


def test_honest_when_the_reports_do_not_say(built):
    _, service = built
    for q in ("How many information disclosure applications did Ligang town receive in 2014?",
              "咸宁市民政局2015年政府信息公开收取了多少费用?", "How many applications did Beijing receive in 2019?",
              "牡丹江市民政局2015年受理了多少件依申请公开事项?"):
        ans = service.ask(q)
        assert not ans.found, q
        assert not re.search(r"\d{3,}件|\d+条", ans.answer), q  # no nearby figure offered
    assert "2009" in service.ask("牡丹江市民政局2015年受理了多少件依申请公开事项?").answer  # says what exists


def test_answers_in_the_question_language(built):
    _, service = built
    en = service.ask("How many applications did Mudanjiang receive in 2009? ")
    assert en.found and contains_expected(en.answer, ["141"])
    missing = service.ask("How many applications did Beijing receive in 2019?")
    assert missing.answer.startswith("The indexed reports do not cover Beijing")
    assert service.ask("北京市2019年受理了多少件申请?").answer.startswith("已收录的报告不涉及北京")


@pytest.mark.skipif(not DEV.exists(), reason="needs ../shared/qa/dev.jsonl")
def test_dev_set_accuracy(built):
    cfg, service = built
    report = run_eval(service, DEV)
    assert report["accuracy"] >= 0.9, report["failures"]
    assert report["recall@5"] >= 0.95
    assert report["unanswerable_answered_with_number"] == 0


def test_project_qa_followups_traditional_english(built):
    cfg, service = built
    report = run_eval(service, ROOT / "qa" / "extra.jsonl")
    assert report["accuracy"] >= 0.9, report["failures"]


def test_no_year_asked_of_a_body_with_several_reports_uses_the_latest_and_says_so(built):
    _, service = built
    ans = service.ask("洪泽区受理了多少件政府信息公开申请?")
    assert ans.found and ans.citations[0].source == "hongze_2024"
    assert "latest_year:2024:2023" in ans.notes and "其他年度" in ans.answer


def test_a_table_row_read_as_plain_text_gives_its_total():
    from bot.answer.candidates import Sentence, _bind_quantity
    from bot.answer.concepts import Concept
    from bot.answer.intent import COUNT, Intent
    from bot.models import Document

    row = "一、本年新收政府信息公开申请数量 3001 53 0 0 61 4 3119"
    doc = Document(id="d", file="d.txt", text=row)
    sent = Sentence(doc, "", 0, len(row), row, row, 0, 0.0)
    q, _, _ = _bind_quantity(sent, [Concept(("新收",), 1.0, True)], Intent(COUNT))
    assert q.value == "3119"


def test_a_place_only_another_report_names_is_answered_only_from_sentences_naming_it(built):
    """泗阳县 has no report; 宿迁市's reports name it. Their tables count 宿迁市's applications, not 泗阳县's."""
    _, service = built
    retrieval = service.retrieve("泗阳县2024年收到多少政府信息公开申请?")
    assert retrieval.scope and retrieval.scope_note.startswith("mentioned:泗阳")
    assert all(service.document(d).body != "泗阳县" for d in retrieval.scope)
    ans = service.ask("泗阳县2024年收到多少政府信息公开申请?")
    assert not ans.found or all("泗阳" in c.quote for c in ans.citations)
    ans = service.ask("泗阳县2024年政务公开专区开展了几期活动?")  # what the report does say about it
    assert not ans.found or all("泗阳" in c.quote for c in ans.citations)


def test_a_place_only_other_reports_mention_lists_them(built):
    """泗阳 has no report of its own; the 宿迁 reports name it, none for 2025: the answer lists them (from the
    retriever's index of mentions), with no figure."""
    _, service = built
    ans = service.ask("泗阳县2025年收到多少申请？")
    assert not ans.found and "宿迁市人民政府 2023" in ans.answer and "2025" in ans.answer

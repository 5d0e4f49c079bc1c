"""Questions that combine table figures: computed from cited facts, arithmetic shown, every operand quoted."""

import re

import pytest

from bot.answer.numbers import unsupported_numbers

pytestmark = pytest.mark.slow


def _operands(ans) -> list[str]:
    """The numbers of the arithmetic, less its result: each must be in a cited quote."""
    arithmetic = ans.figure.counts
    return re.findall(r"\d+(?:\.\d+)?", arithmetic.split("=")[0])


@pytest.mark.parametrize("question, value, op", [
    ("洪泽区2023年和2024年一共收到多少政府信息公开申请?", "116", "sum"),
    ("How many more disclosure requests did Hongze district get in 2024 than in 2023?", "74", "difference"),
    ("淮安市2024年的政府信息公开申请中自然人占比多少?", "96.2", "share"),
    ("Which report had the most administrative reconsiderations in 2024?", "351", "max"),
    # each place with its own year: 宿迁 2024 and 洪泽 2023 are not asked
    ("洪泽区2024年和宿迁市2023年，哪一家本年新收的政府信息公开申请更多？", "3511", "max"),
    ("Which received fewer new requests, the Shanghai S&T Commission in 2024 or Hongze in 2023?", "21", "min"),
])
def test_combined_questions_are_computed_from_cited_facts(built, question, value, op):
    _, service = built
    ans = service.ask(question)
    assert ans.found and ans.notes == [f"computed:{op}"], ans.answer
    assert ans.figure.value == value and f"= {value}" in ans.figure.counts
    assert len(ans.citations) >= 2
    quotes = [c.quote for c in ans.citations]
    assert unsupported_numbers(" ".join(_operands(ans)), quotes) == []
    for c in ans.citations:  # every quote is the report's own text at its offsets
        assert service.document(c.source).text[c.start:c.end] == c.quote


def test_a_ranking_uses_only_the_reports_and_years_asked(built):
    _, service = built
    ans = service.ask("洪泽区2024年和宿迁市2023年，哪一家本年新收的政府信息公开申请更多？")
    assert {c.source for c in ans.citations} == {"hongze_2024", "suqian_2023"}


def test_a_single_figure_question_is_not_combined(built):
    _, service = built
    ans = service.ask("淮安市2024年一共收到多少政府信息公开申请?")
    assert not any(n.startswith("computed:") for n in ans.notes)


def test_facts_and_checks_over_http(built):
    from fastapi.testclient import TestClient

    from bot.serve import create_app

    cfg, service = built
    with TestClient(create_app(cfg, service=service)) as client:
        body = client.get("/api/facts", params={"body": "淮安市人民政府", "table": "四", "row": "行政复议",
                                                "column": "总计"}).json()
        assert [f["value"] for f in body["facts"]] == [351]
        fact = body["facts"][0]
        assert "351" in service.document(fact["doc_id"]).text[fact["cell_start"]:fact["cell_end"]]
        csv = client.get("/api/facts", params={"body": "淮安市人民政府", "format": "csv"}).text
        assert csv.lstrip("\ufeff").startswith("doc_id,body,year,table,row") and ",351," in csv
        checks = client.get("/api/facts/checks").json()["checks"]
        assert checks and all(c["doc_id"] != "huaian_2024" for c in checks)  # huaian's tables add up


@pytest.mark.parametrize("question, value, source", [
    ("淮安市2024年收到多少申请?", "3119", "huaian_2024"),  # the most common question, asked plainly
    ("How many disclosure requests did Hongze district get in 2023?", "21", "hongze_2023"),
    ("淮安市2024年重复申请有多少件?", "25", "huaian_2024"),
    # the verb of the fee row, the applicant and the template's own "不再处理", a particle inside 制发
    ("How much in administrative fees did Hongze collect in 2024 (10,000 yuan)?", "7545", "hongze_2024"),
    ("上海市科委2024年有几件申请是因为申请人逾期不补正而不再处理的？", "10", "shanghai_kewei_2024"),
    ("宿迁市政府2024年新制发了多少件行政规范性文件？", "50", "suqian_2024"),
    ("How many requests in total did the Shanghai S&T Commission finish handling in 2024?", "35",
     "shanghai_kewei_2024"),
])
def test_a_question_naming_one_table_cell_is_answered_by_that_cell(built, question, value, source):
    _, service = built
    ans = service.ask(question)
    assert ans.found and "table_cell" in ans.notes and ans.figure.value == value
    c = ans.citations[0]
    assert c.source == source and value in c.quote and service.document(source).text[c.start:c.end] == c.quote


def test_a_qualifier_outside_the_template_is_left_to_the_reader(built):
    _, service = built
    for question in ("How many requests did Huai'an receive online in 2024?", "淮安市2024年网络申请多少件?"):
        assert "table_cell" not in service.ask(question).notes, question


@pytest.mark.parametrize("question, cell", [
    ("How many Suqian requests in 2024 were refused to protect third-party rights?", ("三", "三.（三）.4", "总计")),
    ("宿迁市2024年因保护第三方合法权益不予公开的有多少件?", ("三", "三.（三）.4", "总计")),  # row and its sub-row
    ("淮安市2024年复议后起诉的案件里有几件维持了原结果？", ("四", "行政诉讼.复议后起诉", "结果维持")),
    ("How many of Suqian's 2023 new applications came from natural persons?", ("三", "一", "自然人")),
    ("上海市政府2025年因为本机关不掌握相关信息而无法提供的有多少件？", ("三", "三.（四）.1", "总计")),
    ("How many of Hongze's 2024 requests were only partly granted?", ("三", "三.（二）", "总计")),  # granted in part
    ("淮安市政府2024年行政复议后又被起诉的案件一共有多少件？", ("四", "行政诉讼.复议后起诉", "总计")),
    ("How many 2024 requests to Hongze came from ordinary citizens?", ("三", "一", "自然人")),  # a column: new ones
])
def test_the_template_structure_picks_the_cell(question, cell):
    from bot.answer.table import named_row_terms
    from bot.facts.cells import target

    assert target(question, named_row_terms(question)) == cell


def test_lawsuits_in_general_and_unnamed_english_rows_name_no_single_cell():
    from bot.answer.table import named_row_terms
    from bot.facts.cells import target

    q = "淮安市2024年行政诉讼有多少件?"  # two cells (直接起诉 and 复议后起诉): not one figure
    assert target(q, named_row_terms(q)) is None
    q = "How many applications did Huai'an look into in 2024?"  # an English verb the template does not know
    assert target(q, named_row_terms(q), plain_means_new=False) is None


@pytest.mark.parametrize("question, cell", [
    ("洪泽区2023年行政事业性收费有多少万元？", ("二", "行政事业性收费", "本年收费金额")),
    ("How many administrative penalty decisions did Hongze make in 2024?", ("二", "行政处罚", "本年处理决定数量")),
    ("沭阳县发改局2023年现行有效的规范性文件有几件？", ("二", "行政规范性文件", "现行有效件数")),
])
def test_table_two_cells_by_the_template_terms(question, cell):
    from bot.answer.table import named_row_terms
    from bot.facts.cells import target

    assert target(question, named_row_terms(question)) == cell


def test_a_verb_alone_names_no_cell_unless_applications_are_asked():
    from bot.answer.table import named_row_terms
    from bot.facts.cells import target

    q = "沭阳县2025年收了多少信息处理费？"  # 收了 is the verb of 本年新收, but fees are asked, not applications
    assert target(q, named_row_terms(q)) is None


def test_two_cells_named_together_are_not_answered_by_one():
    from bot.answer.table import named_row_terms
    from bot.facts.cells import target

    q = "How many disclosure lawsuits in total (direct plus after reconsideration) were there in 2025?"
    assert target(q, named_row_terms(q)) is None
    q = "淮安市2024年予以公开和部分公开的申请一共有多少件？"
    assert len(named_row_terms(q)) == 2 and target(q, named_row_terms(q)) is None


def _all_operands_quoted(service, ans):
    quotes = [c.quote for c in ans.citations]
    assert unsupported_numbers(" ".join(_operands(ans)), quotes) == [], ans.answer
    for c in ans.citations:
        assert service.document(c.source).text[c.start:c.end] == c.quote


@pytest.mark.parametrize("question, value, sources", [
    # figures stated in sentences, one per year: each year's figure answered alone, then added
    ("洪泽区2023年和2024年在政府网站平台主动公开的信息一共多少条？", "3564", {"hongze_2023", "hongze_2024"}),
    # a qualifier the tables do not hold (全市收办): the sentences' figures, not table 三's
    ("宿迁市全市收办的政府信息公开申请案件2024年比2023年多多少件？", "39", {"suqian_2023", "suqian_2024"}),
    # two rows named in one report, each a row the template only splits into its grounds
    ("淮安市2024年不予公开和无法提供的申请一共多少件?", "959", {"huaian_2024"}),
    # a city against its own district in one year
    ("淮安市2024年的行政处罚决定比洪泽区2024年多多少？", "3982982", {"huaian_2024", "hongze_2024"}),
    # two parts of one sentence of one report compared ("市级文件8140件，县区级文件2079件"); the second keeps the
    # first's scope
    ("宿迁市2024年政策文件库中市级文件是县区级文件的多少倍？", "3.9", {"suqian_2024"}),
    ("宿迁市2024年政策文件库中市级文件比县区级文件多多少件？", "6061", {"suqian_2024"}),
    ("In Suqian's 2024 policy document library, how many times as many municipal-level documents as "
     "county/district-level documents were collected?", "3.9", {"suqian_2024"}),
])
def test_combined_questions_answered_by_parts(built, question, value, sources):
    _, service = built
    ans = service.ask(question)
    assert ans.found and ans.figure.value == value, ans.answer
    assert {c.source for c in ans.citations} == sources
    _all_operands_quoted(service, ans)


def test_a_row_split_into_grounds_is_their_sum(built):
    _, service = built
    ans = service.ask("淮安市2024年不予公开的申请有多少件?")
    assert ans.notes[0] == "computed:sum" and ans.figure.value == "178" and len(ans.citations) == 8
    _all_operands_quoted(service, ans)


def test_a_combined_question_with_a_missing_report_computes_nothing(built):
    _, service = built
    ans = service.ask("洪泽区2022年和2023年在政府网站平台主动公开的信息一共多少条？")
    assert not ans.found and not any(n.startswith("computed:") for n in ans.notes)
    assert "2022" in ans.short


@pytest.mark.parametrize("question, value", [
    # "X等原因": the whole row (无法提供), not its first ground (不掌握)
    ("2025年上海市政府办公厅有多少件申请因为本机关不掌握等原因无法提供？", "564"),
    # the issuing body's own words (办公厅) name the report, not a cell; a row a page break cut from its label
    ("上海市政府办公厅2025年部分公开了多少件申请？", "2"),
])
def test_table_rows_of_a_report_converted_from_pdf(built, question, value):
    _, service = built
    ans = service.ask(question)
    assert ans.found and ans.figure.value == value, ans.answer
    if ans.notes[0].startswith("computed:"):
        _all_operands_quoted(service, ans)
    else:
        assert value in ans.citations[0].quote


def test_a_share_is_never_answered_with_one_row(built):
    _, service = built
    ans = service.ask("What share of Shanghai's 2025 applications ended in the information not being available?")
    assert not ans.found or ans.figure.unit == "%", ans.answer


def test_a_total_of_one_thing_in_one_report_is_the_total_it_states(built):
    # "加起来" with nothing to add up: the report states the total itself ("累积超 3170 万")
    _, service = built
    ans = service.ask("“上海发布”在海内外各平台的粉丝加起来超过多少？")
    assert ans.found and ans.figure.value == "3170" and "3170" in ans.citations[0].quote


def test_a_body_of_the_place_that_has_no_report_that_year_is_not_answered_by_another(built):
    _, service = built
    ans = service.ask("上海市人民政府办公厅2024年收到多少申请？")  # its report is of 2025; 科委's of 2024
    assert not ans.found and "2025" in ans.short and "34" not in ans.answer
    ans = service.ask("沭阳县发改局2023年收到多少申请？")  # an abbreviated body name is no qualifier
    assert ans.found and ans.figure.value == "26"


def test_decimals_of_the_reports_are_kept_in_the_arithmetic(built):
    _, service = built
    ans = service.ask("宿迁市2023年和2024年的行政事业性收费加起来是多少万元？")
    assert ans.found and ans.figure.value == "131938.5027", ans.answer
    assert "59237.2449 + 72701.2578" in ans.short
    _all_operands_quoted(service, ans)


def test_a_share_of_a_row_given_only_as_its_grounds(built):
    """洪泽区 2023 gives 无法提供 only as its three grounds: the share is their sum over the handled total, every
    ground cited."""
    _, service = built
    ans = service.ask("What percentage of Hongze District's 2023 applications ended as 'unable to provide'?")
    assert ans.notes == ["computed:share"] and ans.figure.value == "61.9"
    assert "(10 + 3 + 0) ÷ 21" in ans.figure.counts and len(ans.citations) == 4


def test_a_body_shortened_names_the_report_not_what_is_asked_and_totalling_words_are_no_qualifier(built):
    _, service = built
    # "发改局" of 沭阳县发展和改革局 is the scope: the part of the share is "政府网站信息185条" of the 249 published
    ans = service.ask("沭阳县发改局2023年审核发布的各类政府信息中，政府网站信息占比多少？")
    assert ans.found and "185 ÷ 249" in ans.answer, ans.answer
    # "各种…情形加起来" asks the row's grounds added up, as "不予公开的申请有多少件" does
    ans = service.ask("沭阳县政府2025年依申请办理结果中，各种不予公开情形加起来一共多少件？")
    assert ans.found and ans.figure.value == "32", ans.answer


def test_the_body_itself_asked_is_never_answered_with_a_figure_for_its_whole_area(built):
    _, service = built
    # "全市全年共收办政府信息公开申请案件3646件": the city as a whole, not its government itself
    ans = service.ask("In 2024, how many applications did the Suqian municipal government itself handle?")
    assert not ans.found or "全市" not in ans.citations[0].quote, ans.answer
    ans = service.ask("宿迁市2024年全市共收办了多少件政府信息公开申请？")
    assert ans.found and ans.figure.value == "3646", ans.answer

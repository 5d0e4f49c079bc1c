"""The reader's stages without an index: answer types, template rows, candidates of the asked type, vague and
noisy questions, English sentences. Mechanisms, not questions of any QA file."""

import pytest

from bot.answer.candidates import Sentence, _bind_quantity
from bot.answer.compose import english_sentence
from bot.answer.concepts import Concept
from bot.answer.intent import (
    COUNT,
    DATE,
    FREE,
    MONEY,
    PERCENT,
    PHONE,
    YEAR,
    Intent,
    answer_type,
    intent,
    is_noise,
    is_vague,
)
from bot.answer.table import named_row_terms, row_fit, row_label
from bot.models import Document
from bot.retrieve import analyze


@pytest.mark.parametrize("question, atype", [
    ("某县2022年收到多少申请?", COUNT),
    ("How many requests did the bureau get in 2021?", COUNT),
    ("某局2020年收取信息处理费多少元?", MONEY),
    ("How much money was spent on the portal?", MONEY),
    ("网上申请占比多少?", PERCENT),
    ("What share of requests came online?", PERCENT),
    ("门户网站是哪一年开通的?", YEAR),
    ("When did the hotline begin operating?", DATE),
    ("What email address does the county office give for queries about its 2025 report?", FREE),  # no count
    ("What is the email address for questions about the 2024 report?", FREE),
    ("If I have a question about the 2015 report, what number should I phone?", PHONE),
])
def test_answer_type_from_the_question(question, atype):
    assert answer_type(analyze(question)) == atype


def test_aggregates_are_recognised():
    assert intent(analyze("某市2023年和2024年一共收到多少申请?")).aggregate
    assert intent(analyze("How many more requests than last year?")).aggregate
    assert not intent(analyze("某市2024年收到多少申请?")).aggregate


@pytest.mark.parametrize("question", ["总体情况怎么样", "你能做什么?", "你好", "What can you do?", "hello"])
def test_vague_questions(question):
    assert is_vague(analyze(question))


@pytest.mark.parametrize("question", ["-703484588930万元", "12345", "?!@#"])
def test_noise(question):
    assert is_noise(analyze(question))


def test_specific_questions_are_neither_vague_nor_noise():
    for q in ("某市2024年行政复议多少件?", "How many lawsuits were filed?"):
        info = analyze(q)
        assert not is_vague(info) and not is_noise(info)


ROWS = {
    "new": "一、本年新收政府信息公开申请数量 | 自然人: 30 | 总计: 31",
    "carried": "二、上年结转政府信息公开申请数量 | 自然人: 2 | 总计: 2",
    "repeat": "三、本年度办理结果 > （五）不予处理 > 2.重复申请 | 自然人: 5 | 总计: 5",
    "secret": "三、本年度办理结果 > （三）不予公开 > 1.属于国家秘密 | 自然人: 1 | 总计: 1",
    "flat": "一、本年新收政府信息公开申请数量 3440 75 0 1 6 3 3525",
}


def test_row_labels_of_piped_and_flattened_rows():
    assert row_label(ROWS["repeat"]).endswith("2.重复申请")
    assert row_label(ROWS["flat"]) == "一、本年新收政府信息公开申请数量"
    assert row_label("全年共收到申请31件。") == ""


@pytest.mark.parametrize("question, row", [
    ("某市2024年收到多少申请?", "new"), ("How many requests did the city receive?", "new"),
    ("某市有多少重复申请?", "repeat"), ("因属于国家秘密不予公开的有多少件?", "secret"),
    ("上年结转的申请有多少件?", "carried"), ("某市2024年有多少政府信息公开申请?", "new"),
])
def test_the_row_a_question_means(question, row):
    fits = {k: row_fit(row_label(t), question) for k, t in ROWS.items() if k != "flat"}
    assert max(fits, key=fits.get) == row and fits[row] > 0, fits
    assert all(v < 0 for k, v in fits.items() if k != row)


def test_a_sub_row_named_overrides_the_generic_verb():
    assert named_row_terms("收到的重复申请有多少件") == {"重复申请"}


def _sentence(text):
    doc = Document(id="d", file="d.txt", text=text)
    return Sentence(doc, "", 0, len(text), text, text, 0, 0.0)


def test_a_candidate_of_the_wrong_type_is_never_bound():
    s = _sentence("全年收取费用1.5万元,办结率100%。")
    assert _bind_quantity(s, [Concept(("办结率",), 1.0)], Intent(COUNT)) is None
    q, _, _ = _bind_quantity(s, [Concept(("办结率",), 1.0)], Intent(PERCENT))
    assert q.value == "100"
    q, _, _ = _bind_quantity(s, [Concept(("费用",), 1.0)], Intent(MONEY))
    assert q.unit == "万元"


def test_the_part_asked_wins_over_the_total():
    s = _sentence("共受理申请141件,其中当面申请82件,网络申请29件。")
    q, _, _ = _bind_quantity(s, [Concept(("网络",), 2.0), Concept(("申请",), 0.5)], Intent(COUNT))
    assert q.value == "29"


@pytest.mark.parametrize("text, asked, expected", [
    # hebei_rensheting_2017: the total's words (受理, 依申请公开) qualify every part; 信函 names one
    ("2017年省人社厅受理政府信息依申请公开30件，其中网上申请10件，现场申请5件，信函申请15件，均在规定时限内进行办理。",
     [("受理",), ("依申请公开",), ("信函",)], "15"),
    # the same total asked: no part says anything asked beyond it, however tightly its figure follows 申请
    ("2009年共受理依申请公开事项141件,涉及低保、优抚等类别,其中,当面申请82件;", [("受理",), ("申请",)], "141"),
    # a heading run into the sentence before the total is no word of the total's
    ("（一）主动公开政府信息的数量2017年制作、获取政府信息总数70条，其中主动公开政府信息69条，作为依申请公开信息数1条",
     [("主动公开",)], "69"),
])
def test_a_part_listed_after_its_total_is_chosen_by_the_words_only_it_says(text, asked, expected):
    q, _, _ = _bind_quantity(_sentence(text), [Concept(a, 1.0) for a in asked], Intent(COUNT))
    assert q.value == expected


def test_a_long_glossary_term_the_report_says_shorter_still_picks_its_part():
    """xiaogan 2020: "press conferences" is 新闻发布会 and "interpretations" 政策解读 in the glossary; the report says
    召开新闻发布 and 领导解读. Their inner words earn half credit, and the part saying them beats the total."""
    from bot.answer.concepts import _pieces

    text = "全年公开以市政府和市政府办公室名义印发的文件58件,其中通过文字、图解、领导解读、召开新闻发布的形式解读文件32件。"
    asked = [Concept(a, 1.0, partial=_pieces(a)) for a in (("新闻发布会",), ("政策解读",))] + [Concept(("文件",), 1.0)]
    assert "新闻" in asked[0].partial and "解读" in asked[1].partial
    q, _, _ = _bind_quantity(_sentence(text), asked, Intent(COUNT))
    assert q.value == "32"


def test_a_place_in_the_breakdown_of_a_citys_total_binds_its_own_figure():
    text = "全市全年共收办政府信息公开申请案件3607件（市政府349件、市各有关部门933件、沭阳县477件、泗阳县301件），同比增长70.3%"
    doc = Document(id="suqian_2023", file="suqian_2023.txt", text=text, body="宿迁市人民政府", region="宿迁市")
    s = Sentence(doc, "", 0, len(text), text, text, 0, 0.0)
    asked = [Concept(("收办",), 1.0), Concept(("申请",), 1.0, head=True)]
    q, span, _ = _bind_quantity(s, asked, Intent(COUNT, places=("沭阳", "宿迁")))  # 宿迁 is the report's own
    assert q.value == "477" and text[span[0] + q.start:span[0] + q.end] == "477件"
    assert _bind_quantity(s, asked, Intent(COUNT, places=("宿迁",)))[0].value == "3607"


def test_approximate_figures_bind():
    s = _sentence("全年主动公开政府信息4200余条。")
    q, _, _ = _bind_quantity(s, [Concept(("主动公开",), 1.0)], Intent(COUNT))
    assert q.value == "4200" and q.approx


def test_english_sentence_keeps_only_numbers_of_the_quote():
    got = english_sentence("How many requests did Mudanjiang's civil affairs bureau receive online in 2009?", "29",
                           "网络申请29件")
    assert got == "Mudanjiang's civil affairs bureau received 29 requests online."
    assert "2009" in english_sentence("How many requests did the bureau receive in 2009?", "29", "2009年申请29件")


def test_a_count_of_days_takes_only_figures_in_days():
    it = intent(analyze("某局2024年平均几天答复一件申请?"))
    assert it.units == ("天",)
    text = "年度办理答复的有 1 件。"
    doc = Document(id="d", file="d.txt", text=text)
    sent = Sentence(doc, "", 0, len(text), text, text, 0, 0.0)
    assert _bind_quantity(sent, [Concept(("答复",), 1.0, True)], it) is None


def test_a_bare_year_does_not_say_when():
    from bot.answer.candidates import bind

    text = "某局2023年政府信息公开工作年度报告"
    doc = Document(id="d", file="d.txt", text=text)
    sent = Sentence(doc, "", 0, len(text), text, text, 0, 0.0)
    assert bind(sent, [], Intent(DATE)) is None
    dated = "本报告于2024年1月17日发布。"
    sent = Sentence(Document(id="e", file="e.txt", text=dated), "", 0, len(dated), dated, dated, 0, 0.0)
    assert bind(sent, [], Intent(DATE)) is not None


@pytest.mark.parametrize("question, head", [
    ("某县2024年政务新媒体的粉丝总数是多少?", ("粉丝",)),  # "X的Y": the counted noun is Y
    ("某市2023年收到的依申请公开申请多少件?", ("申请",)),  # the last word of a noun phrase is its head
    ("政府信息公开专项经费是多少?", ("专项经费",)),  # not 政府信息公开, which every report names
    ("公开的财政方面的信息有多少条?", ("财政",)),  # 信息 and 方面 are generic: the head is the last specific word
])
def test_the_counted_noun_is_the_head_of_the_phrase(question, head):
    """A sentence must name the counted noun itself; any other word of the phrase is not enough."""
    from bot.answer.concepts import concepts

    cs, _ = concepts(analyze(question))
    assert [c.alternatives for c in cs if c.head] == [head]


# corpus/shanghai_bgt_2025.txt: a crawled table 三 whose header row stayed on the previous page
HEADERLESS = "1.本机关不掌握相关政府信息 | 484 | 28 | 0 | 0 | 1 | 0 | 513 |"


@pytest.mark.parametrize("question, figure", [
    ("某市因本机关不掌握而无法提供的有多少件?", "513"),  # the template's last column: 总计
    ("某市自然人申请中本机关不掌握的有多少件?", "484"),  # the first: 自然人
    ("某市商业企业申请中本机关不掌握的有多少件?", "28"),
    ("某市法人申请中本机关不掌握的有多少件?", None),  # 法人或其他组织 is five columns: no single figure
])
def test_a_headerless_table_row_is_read_by_the_templates_column_order(question, figure):
    from bot.answer.candidates import _bind_table_row
    from bot.answer.concepts import concepts

    info = analyze(question)
    bound = _bind_table_row(HEADERLESS, concepts(info)[0], intent(info))
    assert (bound[0].value if bound else None) == figure
    if bound:
        start, end = bound[1]
        assert HEADERLESS[start:end] == figure  # the quote highlights that very cell


def test_a_space_between_figure_and_unit_keeps_them_together():
    # PDF text spaces figures out: "新闻发布会 42 场" is one clause, and 42 is counted in 场
    s = _sentence("召开市政府新闻发布会 42 场、新闻通气会 19 场，有效增强政策发布的权威性。")
    q, _, _ = _bind_quantity(s, [Concept(("新闻发布会",), 1.0, True)], Intent(COUNT, units=("场",)))
    assert (q.value, q.unit) == ("42", "场")


def test_a_figure_for_the_asked_thing_and_others_is_not_its_figure():
    # "因本机关不掌握等原因无法提供564件": 等 widens the count beyond what was asked
    s = _sentence("不予公开 20 件（1.68%），因本机关不掌握等原因无法提供 564 件（47.36%），其他处理 319 件。")
    cs = [Concept(("本机关不掌握",), 1.0), Concept(("无法提供",), 1.0, True)]
    assert _bind_quantity(s, cs, Intent(COUNT, units=("件",))) is None
    q, _, _ = _bind_quantity(s, [Concept(("无法提供",), 1.0, True)], Intent(COUNT, units=("件",)))
    assert q.value == "564"  # asked without the narrower term, the broad figure is the answer


def test_a_figure_counting_another_thing_of_the_genre_is_not_bound():
    # real sentence (宿迁市 2024): 134 counts reconsiderations, 57 lawsuits; neither counts applications
    s = _sentence("全市全年备案政府信息依申请公开领域行政复议案件134件，行政诉讼案件57件。")
    assert _bind_quantity(s, [Concept(("申请", "依申请"), 1.0)], Intent(COUNT)) is None
    q, _, _ = _bind_quantity(s, [Concept(("行政诉讼",), 1.0)], Intent(COUNT))
    assert q.value == "57"  # the clause's own figure, not the first of the sentence


def test_a_stated_total_is_preferred_to_a_part_of_it():
    from bot.answer.extractive import _part_or_total

    total = _sentence("截至2009年12月31日,我市全年共公开各类政府信息5200条。")
    part = _sentence("其中:在政府信息公开网站主动公开政府信息共计1600条,政务公开栏、简报等渠道公开2000余条。")
    concepts = [Concept(("公开",), 1.0)]
    t, p = (_bind_quantity(x, concepts, Intent(COUNT)) for x in (total, part))
    assert _part_or_total(total.text, t) > 0 and _part_or_total(total.text, t) > _part_or_total(part.text, p)


def test_yes_no_rests_on_a_sentence_that_says_it():
    from bot.answer.extractive import _says_it_itself

    doc = Document(id="d", file="d.txt", text="", title="2025年上海市人民政府办公厅政府信息公开工作年度报告")
    concepts = [Concept(("办公厅",), 4.7), Concept(("处理费",), 5.0)]

    def sent(text):
        return Sentence(doc, "", 0, len(text), text, text, 0, 0.0)

    assert _says_it_itself(sent("2025年度本机关未收取信息公开处理费。"), concepts)
    from bot.answer.extractive import _title_piece

    assert _title_piece(sent("2025 年上海市人民政府办公厅政府信息公开"))  # a piece of the title answers nothing
    assert not _title_piece(sent("2025年度本机关未收取信息公开处理费。"))
    fees = [Concept(("收费", "收取"), 4.97), Concept(("费", "收费"), 3.42)]  # "charge any disclosure fees"
    assert not _says_it_itself(sent("通知要求缴纳费用、行"), fees)  # a fragment of a table's row label
    assert _says_it_itself(sent("2024 年，市科委未发生政府信息公开收费事项。"), fees)


def test_an_etc_clause_is_skipped_not_the_whole_sentence():
    # real sentence (上海市人民政府办公厅 2025): "重复申请等" counts more than repeated requests, but the sentence's
    # last clause still states the withdrawn requests
    s = _sentence("属信访、重复申请等不予处理 80 件（6.72%），其他处理 319 件（26.78%，含申请人主动撤回 157 件）。")
    q, _, _ = _bind_quantity(s, [Concept(("申请",), 2.0, True), Concept(("撤回",), 5.6)], Intent(COUNT))
    assert q.value == "157"
    assert _bind_quantity(_sentence("属信访、重复申请等不予处理 80 件。"), [Concept(("重复申请",), 1.0)],
                          Intent(COUNT)) is None


def test_english_words_outside_the_glossary_count_against_coverage():
    from bot.answer.concepts import concepts, coverage

    cs, _ = concepts(analyze("How many departments had service windows in the government affairs hall?"))
    # no index here: every word has its dictionary renderings (with an index, only those the reports use)
    assert {"部门", "窗口", "大厅"} <= {a for c in cs if c.rendered for a in c.alternatives}
    cs, _ = concepts(analyze("How many zorbleflax had quimbly in the government?"))
    assert {"zorbleflax", "quimbly"} <= {c.alternatives[0][1:] for c in cs if c.alternatives[0].startswith("\x00")}
    cs, _ = concepts(analyze("How many departments had service windows in the government affairs hall?"))
    # a sentence sharing only the one glossary word covers little of the question
    assert coverage("我市全年共公开各类政府信息5200条", cs)[0] < 0.45
    cs, _ = concepts(analyze("How many phone inquiries did the civil affairs bureau receive in 2009?"))
    assert not any(c.alternatives[0].startswith("\x00") for c in cs)  # every content word has a rendering


def test_a_list_items_number_is_no_figure():
    # real sentence (介休市 2009): the clause split cuts "1" from its 、; it numbers the item, it counts nothing
    s = _sentence("1、进一步规范行政审批项目及运行程序,不断推进窗口单位行政审批工作标准化建设。")
    assert _bind_quantity(s, [Concept(("窗口",), 1.0)], Intent(COUNT)) is None


def test_dictionary_renderings_match_softly_and_never_pick_a_table_column():
    from bot.answer.concepts import concepts

    cs, _ = concepts(analyze("How many applications were answered with 'this agency does not hold the information'?"))
    assert any(c.rendered and "机关" in c.alternatives for c in cs)  # "agency": a dictionary rendering
    row = ("三、本年度办理结果 > （四）无法提供 > 1.本机关不掌握相关政府信息 | 自然人: 746 | "
           "法人或其他组织/科研机构: 0 | 总计: 769")
    q, _, _ = _bind_quantity(_sentence(row), cs, Intent(COUNT))
    assert q.value == "769"  # not the 科研机构 column that "机构" would name


def test_a_compound_head_half_matches_its_own_head_piece():
    """'公开申请' asked, '传真申请30件' written: the head piece 申请 satisfies the head, for half its weight, so a
    sentence with the whole compound still wins."""
    from bot.answer.concepts import concepts, coverage

    head = next(c for c in concepts(analyze("某局2009年发传真提出的公开申请有多少件?"))[0] if c.head)
    assert head.alternatives == ("公开申请",) and head.partial == ("申请",)
    assert coverage("传真申请30件", [head]) == (0.5, True)
    assert coverage("公开申请30件", [head]) == (1.0, True)


@pytest.mark.parametrize("question, kept, dropped", [
    ("淮安市洪泽区人民政府2024年（注意不是2023年）的行政规范性文件现行有效件数是多少？", "2024", "2023"),
    ("How many penalty decisions did Hongze report for 2023 (the 2023 report, not 2024)?", "2023", "2024"),
    ("上海市人民政府办公厅（不是上海市科委）2025年被申请行政复议多少件？", "办公厅", "科委"),
    ("How many items did the bureau rather than the county government publish in 2023?", "bureau", "county"),
])
def test_what_the_asker_rules_out_does_not_count_as_asked(question, kept, dropped):
    from bot.retrieve.query import drop_ruled_out

    out = drop_ruled_out(question)
    assert kept in out and dropped not in out
    if kept.isdigit():
        assert analyze(question).year == int(kept)


def test_all_kinds_of_x_totals_and_does_not_qualify():
    """"通过各种渠道公开了多少条" asks the total: 各种渠道 is generic, so the sentence stating the total can answer."""
    from bot.answer.concepts import is_generic

    assert is_generic("各种渠道") and is_generic("所有申请") and not is_generic("网络申请")


def test_a_place_type_word_does_not_stand_in_for_an_english_question():
    """"Ligang town": 镇 names the body; with dictionary renderings of the other words, it is no concept."""
    from bot.answer.concepts import concepts

    cs, _ = concepts(analyze("How many opinions did Ligang town gather during the campaign?"))
    assert all(c.alternatives != ("镇",) for c in cs) and any("意见" in c.alternatives for c in cs)


def test_a_template_row_in_the_askers_words_asks_for_the_rows_own_term():
    """"有多少件是全部给公开了的" names 予以公开: the sentence "予以公开1431件" says it, whatever the noun before."""
    from bot.answer.concepts import concepts

    cs, _ = concepts(analyze("某市2024年的申请中，有多少件是全部给公开了的？"))
    head = [c for c in cs if c.head]
    assert len(head) == 1 and head[0].alternatives[0] == "予以公开"


def test_conversational_filler_and_aspect_particles_are_not_asked_for():
    from bot.answer.concepts import concepts

    cs, _ = concepts(analyze("我想知道某区2024年在政府网站上发了多少条信息？"))
    alts = {a for c in cs for a in c.alternatives}
    assert "知道" not in alts and "发了" not in alts and "政府网站" in alts


def test_a_fee_asked_plainly_is_money():
    from bot.answer.intent import answer_type

    assert answer_type(analyze("淮安市政府2024年收取的信息处理费是多少？")) == MONEY


@pytest.mark.parametrize("text, term, found", [
    ("全年通过县政府门户网站主动公开政府信息", "政府网站", True),  # a word between the halves
    ("有多少件是全部给公开了的", "全部公开", True),
    ("全部不予公开", "全部公开", False),  # a negation between them says the opposite
    ("政府网站", "政府网站", True),
])
def test_a_compound_with_a_word_between_its_halves(text, term, found):
    from bot.text import says

    assert says(text, term) is found


def test_the_counted_noun_comes_before_its_figure():
    """"共设置专栏8个大项…依申请公开": 8 counts 专栏, the 申请 after it does not make it a count of applications."""
    from bot.answer.extractive import _head_before

    s = _sentence("共设置专栏8个大项,编制了依申请公开指南。")
    head = [Concept(("申请",), 1.0, head=True)]
    assert not _head_before(s, (None, (0, 10), False), head)
    s = _sentence("共受理申请141件。")
    assert _head_before(s, (None, (0, 9), False), head)


def test_a_hyphenated_english_word_is_its_words_unless_the_reports_say_it_as_one():
    from bot.retrieve.english import content_words, render

    words = content_words("policy-explainer videos released across shanghai")
    assert words == ["policy-explainer", "videos", "released", "shanghai"]
    used = {"政策", "解读", "视频"}.__contains__
    assert [alts for alts, _ in render(words[:2], used).groups][:1] == [("政策",)]  # no compound: its words


def test_two_english_words_the_dictionary_has_no_entry_for_render_as_a_compound_the_reports_use():
    from bot.retrieve.english import render

    text = "推送系列原创短视频1113个"  # shuyang_2025: no CC-CEDICT gloss is "short video"
    got = render(["short", "videos"], lambda t: t in text)
    assert got.groups == [(("短视频",), False)] and got.unmapped == []
    # a first word the reports say on its own is never glued to the next ("departments had service windows")
    got = render(["departments", "service"], lambda t: t in "部门业务窗口")
    assert all("部业务" not in alts for alts, _ in got.groups)


def test_english_words_render_through_their_dictionary_forms_and_the_glosses_they_are_part_of():
    from bot.retrieve.english import render
    from bot.retrieve.lexicon import renderings, soft_word

    # "paid out" is looked up as "pay out" (CC-CEDICT: 支出 "to pay out")
    assert "支出" in renderings("paid out")
    # no gloss of 医疗 is "medical" alone ("medical treatment"): only a loose lookup finds it
    assert "医疗" not in renderings("medical") and "医疗" in renderings("medical", loose=True)
    assert soft_word("paid") and soft_word("actually") and not soft_word("medical")
    used = {"支出", "医疗", "救助"}.__contains__
    got = render(["paid", "out", "medical", "assistance"], used)
    assert got.groups == [(("支出",), True), (("医疗",), False), (("救助",), False)] and got.unmapped == []


def test_an_english_question_searches_the_renderings_and_not_the_place_that_chose_the_report(built):
    _, service = built
    info = service.retrieve("How much was paid out for medical assistance in Xianning in 2015?").info
    text = service.retriever._lexical_text(info)
    assert "医疗" in text and "救助" in text and "xianning" not in text.lower()
    # the amount asked in 万元 is the medical-assistance sentence's, not the 元 of the donations beside it
    answer = service.ask("How much was paid out for medical assistance in Xianning in 2015, in units of 10,000 yuan?")
    assert answer.found and answer.figure.value == "6403.09" and "医疗救助" in answer.citations[0].quote


def test_a_separable_verb_object_word_is_found_with_its_object_between():
    from bot.text import says

    # "2023年我厅未收取信息处理费" (a real Hebei report) says 收费: 收 … 费 with the object between
    assert says("2023年我厅未收取信息处理费", "收费") and says("依法缴纳信息处理费", "缴费")
    # a negation between is not the word, and other two-character words never split
    assert not says("收取的不是费用", "收费") and not says("公布并开放", "公开")
    assert not says("收到申请，费用另计", "收费")  # across a clause

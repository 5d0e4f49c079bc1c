"""Question analysis on real question shapes: language, year, place, type, follow-ups."""

from bot.models import Document
from bot.retrieve.query import Catalog, analyze, detect_language, find_year, resolve_followup


def _catalog():
    docs = [Document(id="000", file="000.txt", text="", body="牡丹江市民政局", region="牡丹江市", year=2009),
            Document(id="001", file="001.txt", text="", body="咸宁市民政局", region="咸宁市", year=2015),
            Document(id="huaian", file="huaian.pdf", text="", body="淮安市人民政府", region="淮安市", year=2024),
            Document(id="hongze", file="hongze.pdf", text="", body="淮安市洪泽区人民政府", region="洪泽区", year=2024)]
    return Catalog.from_documents(docs)


def test_language_and_year():
    assert detect_language("How many applications did Mudanjiang receive in 2009?") == "en"
    assert detect_language("牡丹江市民政局2009年受理了多少件?") == "zh"
    assert find_year("二〇〇九年受理") == 2009
    assert find_year("電話0715-8138355") is None


def test_places_in_chinese_pinyin_and_english():
    cat = _catalog()
    assert analyze("How many applications did Mudanjiang receive in 2009?", cat).doc_ids == ("000",)
    assert analyze("How much did Huai'an city collect in fees in 2024?", cat).doc_ids == ("huaian",)
    # the city named as region beats a district report whose body name contains the city
    assert analyze("淮安市2024年全市共受理政府信息公开申请多少件?", cat).doc_ids == ("huaian",)
    assert analyze("洪泽区2024年主动公开多少条?", cat).doc_ids == ("hongze",)
    assert analyze("鹹寧市2015年低保對象有多少戶?", cat).doc_ids == ("001",)  # traditional


def test_unknown_places_are_reported():
    cat = _catalog()
    assert analyze("北京市2019年受理了多少件申请?", cat).unknown_place == "北京"
    assert analyze("How many applications did Beijing receive in 2019?", cat).unknown_place == "Beijing"
    assert analyze("How many applications did Mudanjiang receive?", cat).unknown_place == ""


def test_question_types():
    assert analyze("咸宁市2015年城乡低保对象有多少户?").qtype == "quantity"
    assert analyze("牡丹江市民政局2009年有没有行政复议?").qtype == "yesno"
    assert analyze("Who headed the leading group?").qtype == "who"
    assert analyze("Which phone number takes questions?").qtype == "phone"
    assert analyze("介休市政府门户网站是哪天改版运行的?").qtype == "when"


def test_english_terms_are_translated():
    terms = analyze("How many reconsideration cases were there?").terms
    assert "行政复议" in terms


def test_followup_carries_topic_and_year():
    cat = _catalog()
    first = analyze("牡丹江市民政局2009年受理了多少件依申请公开事项?", cat)
    follow = resolve_followup(analyze("那咸宁呢?", cat), first)
    assert follow.doc_ids == ("001",) and follow.year == 2009 and "topic" in follow.carried
    assert follow.embed_query == first.text
    year_only = resolve_followup(analyze("and in 2015?", cat), first)
    assert year_only.year == 2015 and year_only.doc_ids == ("000",)
    # a full question is not a follow-up
    fresh = resolve_followup(analyze("咸宁市2015年城乡低保对象有多少户?", cat), first)
    assert fresh.carried == ()


def test_english_unknown_places_only_where_a_place_stands():
    cat = _catalog()
    assert analyze("What did Shanghai's bureau disclose?", cat).unknown_place == "Shanghai"
    assert analyze("How many applications in Wuhan city?", cat).unknown_place == "Wuhan"
    # capitalised ordinary words are not places
    assert analyze("Guide me: how many applications in 2024?", cat).unknown_place == ""
    assert analyze("Change in fees in 2024?", cat).unknown_place == ""


def test_english_followup_naming_a_place():
    cat = _catalog()
    first = analyze("How many applications did Mudanjiang receive in 2009?", cat)
    follow = resolve_followup(analyze("What about Xianning?", cat), first)
    assert follow.doc_ids == ("001",) and "topic" in follow.carried
    # a question with a topic of its own is not a follow-up, nor one without a place or year
    assert resolve_followup(analyze("How many fees did Xianning charge in 2015?", cat), first).carried == ()
    # a question with its own topic that continues the conversation keeps the report asked about, not the topic
    fees = resolve_followup(analyze("What about the fees?", cat), first)
    assert fees.carried == ("year", "place") and fees.doc_ids == ("000",) and fees.topic == ""
    own = resolve_followup(analyze("And how many were disclosed in full?", cat), first)
    assert own.year == 2009 and own.doc_ids == ("000",) and "topic" not in own.carried


def test_counted_calls_are_a_quantity_not_a_phone_number():
    assert analyze("介休市長熱線2009年接了多少個有效電話？").qtype == "quantity"
    assert analyze("介休市长热线的电话号码是多少？").qtype == "phone"


def test_the_year_applications_are_carried_into_is_the_next_report_year():
    assert analyze("How many applications did Huai'an carry over into 2025?").year == 2024
    assert analyze("淮安市有多少件申请结转到2025年继续办理？").year == 2024
    assert analyze("How many applications did Huai'an carry over from 2023?").year == 2023


def test_english_words_outside_the_glossary_have_dictionary_renderings():
    from bot.retrieve.lexicon import renderings

    assert "部门" in renderings("departments") and "窗口" in renderings("windows")  # plural to dictionary form
    assert renderings("knowledge base") == ("知识库",)  # a two-word gloss
    assert "咨询" in renderings("inquiries")
    assert renderings("qwertyuiop") == ()


def test_a_body_named_by_its_own_words_among_bodies_of_one_place():
    docs = [Document(id="bgt", file="a.txt", text="", body="上海市人民政府办公厅", region="上海市", year=2025),
            Document(id="kw", file="b.txt", text="", body="上海市科委", region="上海市", year=2024)]
    catalog = Catalog.from_documents(docs)
    assert analyze("上海市人民政府办公厅2024年收到多少申请？", catalog).doc_ids == ("bgt",)
    assert analyze("上海市科委2024年收到多少申请？", catalog).doc_ids == ("kw",)
    assert set(analyze("上海2024年收到多少申请？", catalog).doc_ids) == {"bgt", "kw"}  # the place alone: both


def test_an_english_body_name_rendered_to_the_bodys_own_words():
    """"Science and Technology Commission" renders to 科学…技术…委托: every character of 科委 appears, so the
    科委 is meant, not the 办公厅 of the same city (which then has no 2025 report to answer from)."""
    docs = [Document(id="bgt", file="a.txt", text="", body="上海市人民政府办公厅", region="上海市", year=2025),
            Document(id="kw", file="b.txt", text="", body="上海市科委", region="上海市", year=2024)]
    catalog = Catalog.from_documents(docs)
    assert analyze("How many requests did the Shanghai Science and Technology Commission receive?", catalog
                   ).doc_ids == ("kw",)
    assert analyze("How many requests did the General Office of Shanghai receive?", catalog).doc_ids == ("bgt",)


def test_naming_one_body_of_a_place_keeps_the_other_places_named():
    docs = [Document(id="bgt", file="a.txt", text="", body="上海市人民政府办公厅", region="上海市", year=2025),
            Document(id="kw", file="b.txt", text="", body="上海市科委", region="上海市", year=2024),
            Document(id="ha", file="c.pdf", text="", body="淮安市人民政府", region="淮安市", year=2024)]
    catalog = Catalog.from_documents(docs)
    ids = analyze("上海市政府办公厅2025年和淮安市政府2024年，哪一家新收的申请更多？", catalog).doc_ids
    assert set(ids) == {"bgt", "ha"}


def test_a_one_character_misreading_of_a_place_is_known_by_the_file_name():
    """An OCR'd report of 沭阳 spells it 沐阳 throughout; its file is named shuyang_2025: a question about 沭阳
    reaches it. 泗阳 (one character from both, but not the file's pinyin) does not."""
    docs = [Document(id="shuyang_2025", file="shuyang_2025.txt", text="", body="沐阳县人民政府", region="沐阳县",
                     year=2025),
            Document(id="fgj", file="shuyang_fgj_2023.txt", text="", body="沭阳县发展和改革局", region="沭阳县",
                     year=2023)]
    catalog = Catalog.from_documents(docs)
    assert "shuyang_2025" in analyze("沭阳县2025年收到多少申请？", catalog).doc_ids
    assert analyze("泗阳县2025年收到多少申请？", catalog).doc_ids == ()
    assert analyze("沐阳县2025年收到多少申请？", catalog).doc_ids == ("shuyang_2025",)

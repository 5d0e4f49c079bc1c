"""A report the project never saw (an HTML page of another body, GB2312, statutory tables with merged cells),
added through the service, then asked in Chinese and English: the answerer is general, not tuned."""

from pathlib import Path

import pytest

from tests.conftest import small_service

pytestmark = pytest.mark.slow
PAGE = Path(__file__).parent / "data" / "qingshan_2023.html"


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    _, svc = small_service(tmp_path_factory.mktemp("unseen"), files=("huaian_2024.pdf",))
    ids = svc.add_file("qingshan_2023.html", PAGE.read_text(encoding="utf-8").encode("gb18030"))
    assert ids == ["qingshan_2023"]
    return svc


@pytest.mark.parametrize("question, expected", [
    ("青山市生态环境局2023年新收政府信息公开申请多少件?", "67"),
    ("How many disclosure applications did the Qingshan ecology and environment bureau receive in 2023?", "67"),
    ("How many applications from natural persons did Qingshan receive in 2023?", "58"),
    ("How many normative documents did Qingshan issue in 2023?", "3"),
    ("青山市2023年行政复议结果纠正多少件?", "1"),
    ("青山市生态环境局2023年行政处罚本年处理决定数量是多少?", "276"),
    ("How many press conferences did Qingshan hold in 2023?", "5"),
    ("青山市生态环境局2023年主动公开政府信息多少条?", "864"),
])
def test_questions_about_an_unseen_report(service, question, expected):
    ans = service.ask(question)
    assert ans.found, ans.answer
    assert ans.answer.split(" ")[0].rstrip("件条场项") == expected, ans.answer
    assert ans.citations[0].source == "qingshan_2023"


def test_metadata_and_chrome_of_the_unseen_page(service):
    doc = service.document("qingshan_2023")
    assert (doc.body, doc.region, doc.year, doc.published) == ("青山市生态环境局", "青山市", 2023, "2024-01-18")
    assert "首页 | 机构概况" not in doc.text and "扫一扫" not in doc.text and "_hmt" not in doc.text
    # a year of that body that is not indexed is said so; the other city in the index is not confused with it
    assert not service.ask("青山市生态环境局2021年新收政府信息公开申请多少件?").found
    assert service.ask("淮安市2024年全市共受理政府信息公开申请多少件?").citations[0].source == "huaian_2024"


def test_a_word_no_dictionary_reads_never_picks_one_of_several_figures(built):
    # "微信公众号共编发文章 1640 篇，其中原创文章 294篇，微信公众号目前关注人数达 1016823 人": "followers" is read by no
    # dictionary entry, and every figure's clause names the account: no figure, rather than the articles' 1640
    _, service = built
    ans = service.ask("How many followers did the Shanghai Science and Technology Commission's WeChat account have "
                      "in 2024?")
    assert ans.figure is None or ans.figure.value == "1016823", ans.answer
    # "网站全年累计发布信息 2139 条，其中…解读类信息发布 21 条": the unread word may name a part: never the total
    ans = service.ask("How many interpretation items did the Shanghai science commission's website post in 2024?")
    assert ans.figure is None or ans.figure.value == "21", ans.answer


def test_carried_into_the_next_year_in_plain_words_is_the_templates_row(built):
    _, service = built
    ans = service.ask("上海市科委2024年转到下一年度办理的申请有几件？")
    # the report's table row "四、结转下年度继续办理 | 1 | 0 | 0 | 0 | 0 | 0 |" lost its total cell, so its columns
    # cannot be told apart: the sentence saying the same figure answers ("转下一年度办理答复的有 1 件")
    quote = ans.citations[0].quote if ans.found else ""
    assert ans.found and ans.figure.value == "1" and ("结转下年度" in quote or "转下一年度" in quote), ans.answer


def test_a_count_the_report_says_there_was_none_of_is_zero_with_that_sentence_quoted(built):
    # 咸宁 2015: "本年度无依申请公开信息。", "本年度无因政府信息公开申请行政复议、提起行政诉讼的情况。"
    _, service = built
    for question, words in (("How many information requests did Xianning civil affairs receive in 2015?", "依申请公开"),
                            ("咸宁市民政局2015年有几件行政复议？", "行政复议")):
        ans = service.ask(question)
        assert ans.found and ans.short.startswith("0") and "stated_none" in ans.notes, ans.answer
        quote = ans.citations[0].quote
        assert quote.startswith("本年度无") and words in quote
        assert service.document(ans.citations[0].source).text[ans.citations[0].start:ans.citations[0].end] == quote
    # a report that states a figure is never answered "none" from another thing it had none of
    ans = service.ask("How many people did Xianning civil affairs help with medical assistance in 2015?")
    assert "stated_none" not in ans.notes, ans.answer


def test_a_contact_field_asked_is_answered_with_its_value_and_the_sentence_quoted(built):
    # "请与淮安市洪泽区人民政府办公室联系（地址：淮安市洪泽区洪泽湖大道90号，邮编：223100，电话：…）"
    _, service = built
    ans = service.ask("What is the postal code of the Hongze district government office?")
    assert ans.found and ans.short == "223100" and "邮编：223100" in ans.citations[0].quote, ans.answer
    ans = service.ask("洪泽区政府办公室2024年的地址在哪里？")
    assert ans.found and ans.short == "淮安市洪泽区洪泽湖大道90号", ans.answer
    ans = service.ask("咸宁市民政局的查询网址是什么？")  # the value on the line after its label
    assert ans.found and ans.short == "http://www.xianning.gov.cn/xnsmzj2/", ans.answer


def test_a_two_letter_word_and_a_hyphenated_glossary_phrase_still_qualify_the_figure(built):
    # 介休 2009: "全年共公开各类政府信息5200条。其中:…电视台公开政府信息1600余条…", "…当面咨询接待220余次…"; losing "TV"
    # or "in-person" left the total as if the question named no part
    _, service = built
    ans = service.ask("How much information did Jiexiu publish through TV in 2009?")
    assert ans.found and ans.figure.value == "1600" and ans.figure.approximate, ans.answer
    assert "电视台公开政府信息1600余条" in ans.citations[0].quote
    ans = service.ask("How many in-person consultations did Jiexiu have in 2009?")
    assert ans.found and ans.figure.value == "220", ans.answer


def test_a_figure_with_nothing_asked_near_it_or_a_total_whose_parts_follow_is_not_the_answer(built):
    # 立岗镇 2014: "已收集相关意见282条。" under a heading that names policies: nothing asked stands near 282
    _, service = built
    ans = service.ask("How many policy and regulation items did Ligang town publish in 2014?")
    assert ans.figure is None or ans.figure.value == "2", ans.answer
    # "累计公开政府信息547条。其中概况类2条,…": "overview" is read by no dictionary and may name a part
    ans = service.ask("Ligang 2014: how many items of general overview information were published?")
    assert ans.figure is None or ans.figure.value == "2", ans.answer
    # the section still says what its figures count when it says all that was asked
    ans = service.ask("立岗镇2014年累计主动公开了多少条政府信息？")
    assert ans.found and ans.figure.value == "547", ans.answer


def test_a_relative_clause_with_its_noun_left_out_and_channels_in_plain_words(built):
    # 牡丹江 2009 (traditional): "…141件,…其中,當面申請82件;網絡申請29件;信函、傳真申請30件"
    _, service = built
    ans = service.ask("牡丹江民政局2009年收到的申请中有多少是当面提交的？")  # 提交 is one verb of many; 申请 is counted
    assert ans.found and ans.figure.value == "82", ans.answer
    ans = service.ask("牡丹江民政局2009年受理的申请里有多少是网上提交的？")  # 网上 is the report's 網絡
    assert ans.found and ans.figure.value == "29", ans.answer
    # a simplified question about a traditional report: the short answer in simplified characters
    ans = service.ask("牡丹江市民政局2009年有多少条信息被省民政厅采用？")
    assert ans.found and ans.short == "87条" and "87條" in ans.citations[0].quote, ans.answer

"""Numbers on real report sentences: units, approximations, Chinese numerals, full-width digits, dates."""

from bot.answer.numbers import canonical_numbers, extract_quantities, unsupported_numbers


def _q(text):
    return [(q.value, q.unit, q.kind, q.approx) for q in extract_quantities(text)]


def test_quantities_with_units_in_a_real_sentence():
    s = "2009年共受理依申請公開事項141件,其中,當面申請82件;網絡申請29件;信函、傳真申請30件;受理咨詢870多人次"
    assert _q(s) == [("2009", "年", "year", False), ("141", "件", "number", False), ("82", "件", "number", False),
                     ("29", "件", "number", False), ("30", "件", "number", False), ("870", "人次", "number", True)]


def test_money_percent_separators_fullwidth_and_chinese_numerals():
    assert _q("下拨救灾资金4200.7万元")[0] == ("4200.7", "万元", "number", False)
    assert _q("提前办结率提高到98.7%")[0][:3] == ("98.7", "%", "percent")
    assert _q("受理申请3,119件")[0][:2] == ("3119", "件")
    assert _q("受理申请１４１件")[0][:2] == ("141", "件")
    assert _q("共受理一百四十一件")[0][:2] == ("141", "件")
    assert _q("公开信息5500余条")[0] == ("5500", "条", "number", True)


def test_words_are_not_numbers():
    assert _q("一是成立了领导小组,统一部署,一把手亲自抓") == []
    assert [q.kind for q in extract_quantities("咨询电话:0715-8138355")] == ["phone"]
    assert [q.kind for q in extract_quantities("(晋政办发电[2010]35号)")] == ["code"]
    assert [q.kind for q in extract_quantities("已于今年1月20日改版运行")] == ["date"]


def test_unsupported_numbers_normalizes_both_sides():
    evidence = "全市共受理政府信息公开申请3,119件,其中行政复议三百五十一件"
    assert unsupported_numbers("3119 [1]", evidence) == []
    assert unsupported_numbers("351件 [1]", evidence) == []
    assert unsupported_numbers("3120件 [1]", evidence) == ["3120"]
    assert unsupported_numbers("共3119件 [2]", ["无关", evidence]) == []
    assert "8138355" in canonical_numbers("电话:0715-8138355")


def test_approximations_and_chinese_ten_thousands():
    assert extract_quantities("累计公开信息约300条")[0].approx
    assert not extract_quantities("累计公开信息300条")[0].approx
    assert unsupported_numbers("3万人次 [1]", "接待群众三万人次") == []
    assert unsupported_numbers("30000人次 [1]", "接待群众三万人次") == []
    assert unsupported_numbers("4万人次 [1]", "接待群众三万人次") == ["4"]


def test_list_markers_and_each_one_are_not_counts():
    assert [q.raw for q in extract_quantities("2、介休市政府门户网站已改版运行")] == []
    assert extract_quantities("有效办理好每一件依申请公开案件") == []
    assert [q.raw for q in extract_quantities("受理82件，其中网络申请29件")] == ["82件", "29件"]


def test_a_measure_word_after_wan_belongs_to_the_figure():
    # real sentence (宿迁市 2023): "18万余条" is about 180,000 items, approximate
    (q,) = extract_quantities("全市共向社会主动公开政府信息18万余条。")
    assert (q.value, q.raw, q.unit, q.approx) == ("18", "18万余条", "万条", True)
    (q,) = extract_quantities("总浏览量为 536 万，同比显著增长")
    assert (q.value, q.unit) == ("536", "万")

"""Table 二 of the 2019–2020 template (本年新制作 / 本年新公开 / 对外公开总数量; 上一年项目数量 / 本年增减 / 处理决定数量),
on a real report's opening (tests/data/reports_g, provenance in SOURCES.md): a zh-TW copy whose table came as
"|"-separated rows under a header row of their own."""

from pathlib import Path

import pytest

from bot.facts.extract import extract_facts
from bot.facts.template import t2_header, t2_row
from bot.ingest import read_documents
from tests.conftest import service_over

WUHAN = Path(__file__).parent / "data" / "reports_g" / "wuhan_shengtaihuanjingju_2020.txt"


def test_the_2020_columns_and_rows_are_the_templates():
    assert t2_header("信息內容 | 本年新 製作數量 | 本年新 公開數量 | 對外公開總數量 |") == [
        ("本年制发件数", "件"), ("本年新公开数量", "件"), ("对外公开总数量", "件")]
    assert [c for c, _ in t2_header("信息內容 | 上一年項目數量(指2019年事項數) | 本年增/減(指2020年增加或減少的事項數,減用負值"
                                    "表示,如-8) | 處理決定數量(指2020年辦件量) |")] == ["上一年项目数量", "本年增减", "本年处理决定数量"]
    # a row's explanation in brackets names other rows: never its own name
    assert t2_row("其他對外管理服務事項(指行政許可證以外的政務服務事項,含行政確認、行政處罰、行政強制)") == "其他对外管理服务事项"
    assert t2_row("其他主動公開檔案(含…除規範性檔案以外的主動公開檔案)") == "其他主动公开文件"
    assert t2_row("規範性檔案(行政機關制定發布的決定、公告)") == "行政规范性文件"  # zh-TW writes 文件 as 檔案


def test_a_pipe_table_under_its_own_header_row_gives_every_cell_and_a_dash_states_nothing():
    doc = read_documents(WUHAN)[0]
    got = {(f.row, f.column): f.value for f in extract_facts(doc) if f.table == "二"}
    assert got[("行政规范性文件", "对外公开总数量")] == 19 and got[("其他主动公开文件", "本年新公开数量")] == 86
    assert got[("行政许可", "本年处理决定数量")] == 93 and got[("其他对外管理服务事项", "上一年项目数量")] == 117
    assert got[("行政强制", "本年增减")] == 4 and ("行政强制", "本年处理决定数量") not in got  # "行政強制 | 4 | 4 | - |"


@pytest.fixture(scope="module")
def wuhan(tmp_path_factory):
    return service_over(tmp_path_factory.mktemp("wuhan"), [WUHAN])


@pytest.mark.parametrize("question, value", [
    ("武漢市生態環境局2020年作出的行政處罰決定有多少件？", "22"),  # asked in traditional characters
    ("How many administrative licensing decisions did the Wuhan Ecology and Environment Bureau hand down in 2020?", "93"),
    ("武汉市生态环境局2020年报告中，行政强制事项上一年（2019年）有几项？", "4"),
    ("By the end of 2020, how many normative documents did the Wuhan Ecology and Environment Bureau have out in the "
     "open in total?", "19"),
])
def test_cells_of_the_2020_table_are_answered_from_the_facts(wuhan, question, value):
    ans = wuhan.ask(question)
    assert ans.found and "table_cell" in ans.notes and ans.figure.value == value, ans.answer


def test_a_quoted_name_in_a_question_is_an_account_not_a_body(tmp_path):
    # "九原区2023年“九原政务”微信公众号…": 九原区政务服务局 (2022) is not named by the account's name; the district
    # government's 2023 report answers
    data = Path(__file__).parent / "data" / "reports_g"
    service = service_over(tmp_path, [data / "jiuyuan_quzhengfu_2023.txt", data / "jiuyuan_zhengwufuwuju_2022.txt"])
    ans = service.ask("九原区2023年“九原政务”微信公众号发布了多少条信息？")
    assert ans.found and ans.figure.value == "1250" and ans.citations[0].source == "jiuyuan_quzhengfu_2023", ans.answer


@pytest.fixture(scope="module")
def openings(tmp_path_factory):
    data = Path(__file__).parent / "data" / "reports_g"
    return service_over(tmp_path_factory.mktemp("openings"), [data / "xinfeng_weijianwei_2023.txt",
                                                              data / "lintao_shangyingxiang_2020.txt"])


def test_a_part_the_question_names_beats_a_total_whose_list_only_mentions_it(openings):
    # "全年主动公开政府信息数465条,内容涉及…工作动态…。其中…部门预决算56条、工作动态362条。"
    ans = openings.ask("Of everything the Xinfeng County Health Commission made public in 2023, how many items were "
                       "work-news updates?")
    assert ans.found and ans.figure.value == "362", ans.answer


def test_a_level_before_its_noun_tells_the_village_board_from_the_townships(openings):
    # "在乡政务公开公示栏公开政府工作90余次;在村公示栏公开政府相关工作60余次" (a one-line page), asked in traditional
    ans = openings.ask("上營鄉2020年在村公示欄公開政府相關工作多少次？")
    assert ans.found and ans.figure.value == "60" and ans.figure.approximate, ans.answer


def test_a_places_government_named_where_only_a_department_reported_is_not_answered_by_it(openings):
    ans = openings.ask("信丰县人民政府2023年收到多少政府信息公开申请？")
    assert not ans.found and ans.figure is None, ans.answer
    ans = openings.ask("信丰县卫健委2023年收到多少政府信息公开申请？")  # the department itself: its table answers
    assert ans.found and ans.figure.value == "0" and ans.citations[0].source == "xinfeng_weijianwei_2023", ans.answer


def test_a_conjunction_the_segmenter_glued_to_its_neighbours_still_splits_a_sum(openings):
    # jieba cuts "公开栏和村公示栏" as 栏和村: the two boards are still added, each cited
    ans = openings.ask("上营乡2020年在乡政务公开栏和村公示栏一共公开政府工作多少次？")
    assert ans.found and "computed:sum" in ans.notes and ans.figure.value == "150", ans.answer
    assert len(ans.citations) == 2


def test_a_phone_asked_by_another_word_than_its_line_uses_is_answered(tmp_path):
    # "联系电话:05987500615" asked as "年报留的咨询电话"; 年报 is the genre's word for the report itself
    service = service_over(tmp_path, [Path(__file__).parent / "data" / "reports_g" / "sanming_shizhengfu_2018.txt"])
    ans = service.ask("三明市2018年政府信息公开年报留的咨询电话是多少？")
    assert ans.found and ans.answer.startswith("05987500615"), ans.answer


YUNTAI = Path(__file__).parent / "data" / "reports_h" / "changshou_yuntaizhen_2020.txt"


def test_the_2020_procurement_row_gives_its_projects_and_their_amount():
    """第二十条第（九）项: "信息内容 | 采购项目数量 | 采购总金额" — 金额 inside 采购总金额 names no fee column."""
    assert t2_header("信息内容 | 采购项目数量 | 采购总金额 | |") == [("采购项目数量", "件"), ("采购总金额", "万元")]
    got = {(f.row, f.column): (f.value, f.unit) for f in extract_facts(read_documents(YUNTAI)[0]) if f.table == "二"}
    assert got[("政府集中采购", "采购项目数量")] == (15, "件")
    assert got[("政府集中采购", "采购总金额")] == (11.876, "万元")


def test_the_templates_own_remainder_row_answers_a_question_that_leaves_the_other_rows_out(wuhan):
    """"除规范性文件以外的其他主动公开文件": the complement is the row 其他主动公开文件 itself, a cell; a complement of
    another row is still computed or declined, never one cell."""
    ans = wuhan.ask("武汉市生态环境局2020年除规范性文件以外的其他主动公开文件，当年新公开了多少件？")
    assert ans.found and "table_cell" in ans.notes and ans.figure.value == "86", ans.answer
    ans = wuhan.ask("武汉市生态环境局2020年除行政处罚以外的行政许可决定有多少件？")
    assert "table_cell" not in ans.notes, ans.answer

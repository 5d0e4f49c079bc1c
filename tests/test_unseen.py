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

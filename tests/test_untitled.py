"""Real reports of a Hebei department as a crawler saved them (tests/data/reports_f, provenance in SOURCES.md): some
as the crawler's CSV export saved with a .txt name, some as the report's text alone, without its title line."""

from pathlib import Path

from bot.ingest import read_documents

DATA = Path(__file__).parent / "data" / "reports_f"


def test_a_report_saved_without_its_title_is_named_by_the_body_its_opening_names_and_its_files_province():
    doc = read_documents(DATA / "hebei_rensheting_2017.txt")[0]
    assert doc.kind == "annual_report" and doc.year == 2017 and doc.region == "河北省"
    # "2017年省人力资源社会保障厅认真贯彻《河北省人民政府办公厅印发…》": the body opens the text; the cited
    # document's issuer is not it
    assert doc.body == "河北省人力资源社会保障厅"
    assert doc.title == "河北省人力资源社会保障厅2017年政府信息公开工作年度报告"


def test_a_crawlers_csv_export_saved_as_text_is_one_report_with_the_rows_title_and_date():
    docs = read_documents(DATA / "hebei_rensheting_2019.txt")
    assert [d.id for d in docs] == ["hebei_rensheting_2019#1"]
    doc = docs[0]
    assert doc.title == "河北省人力资源和社会保障厅2019年政府信息公开工作年度报告" and doc.published == "2020-01-20"
    assert not doc.text.startswith("标题,日期")

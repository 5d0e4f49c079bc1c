"""Cleaning on the real seeds: chrome, ads and pinyin notes go; every digit of the report stays."""

import re
from pathlib import Path

import pytest

from bot.ingest.clean import PINYIN_NOTE, clean_lines, parse_meta_line
from bot.ingest.readers import read_lines

CORPUS = Path(__file__).parents[1] / "corpus"
SEEDS = sorted(CORPUS.glob("00*.txt"))
CHROME = ["您当前的位置", "您當前的位置", "扫一扫在手机打开", "掃一掃在手機打開", "字体颜色", "保护视力色", "附件下载",
          "xiexiebang", "★全国文明县城", "您的位置"]


def _raw_text(path):
    return "\n".join(l.text for l in read_lines(path))


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_chrome_and_pinyin_are_gone(path):
    cleaned = clean_lines(read_lines(path))
    text = "\n".join(l.text for l in cleaned.lines)
    for chrome in CHROME:
        assert chrome not in text
    # (one spot of seed 000 is mojibake in the source itself: "谕七M(jìn)", not after a character)
    assert not re.search(r"(?<=[\u4e00-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)", text)
    assert not re.search(r"^(来源|來源|撰稿|校对|校對)[:：]?\s*$", text, re.M)


@pytest.mark.parametrize("path", SEEDS + sorted(CORPUS.glob("*.pdf")), ids=lambda p: p.stem)
def test_every_digit_run_of_the_body_survives(path):
    lines = read_lines(path)
    cleaned = clean_lines(lines, from_pdf=path.suffix == ".pdf")
    dropped = "\n".join(cleaned.dropped)
    body = "\n".join(l.text for l in lines)
    # what cleaning removed on purpose: chrome/metadata lines and pinyin notes (which hold no digits)
    kept = "".join(l.text for l in cleaned.lines)
    for run in re.findall(r"\d+", PINYIN_NOTE.sub("", body)):
        if run in dropped and run not in kept:
            continue
        assert run in kept, f"{run} lost from {path.name}"
    # page numbers of PDFs are the only digits dropped there
    if path.suffix == ".pdf":
        assert all(re.fullmatch(r"\s*-\s*\d+\s*-\s*", d) for d in cleaned.dropped)


def test_pinyin_notes_removed_inside_words_only():
    assert PINYIN_NOTE.sub("", "您當(dāng)前的位置,項(xiàng)目(一)") == "您當前的位置,項目(一)"
    assert PINYIN_NOTE.sub("", "条例(国令第711号)") == "条例(国令第711号)"


def test_metadata_header_lines_are_parsed():
    meta = parse_meta_line("名       称: 咸宁市民政局2015年政府信息公开工作年度报告 发布日期: 2020年09月11日")
    assert meta == {"名称": "咸宁市民政局2015年政府信息公开工作年度报告", "发布日期": "2020年09月11日"}
    assert parse_meta_line("2015年,市民政局政府信息公开工作在市委的领导下") is None


def test_lines_broken_mid_sentence_are_joined():
    lines = read_lines(CORPUS / "huaian_2024.pdf")
    text = [l.text for l in clean_lines(lines, from_pdf=True).lines]
    assert any(t.startswith("（二）依申请公开情况。") and "全市共受理政府信息公开申请3119件" in t for t in text)
    assert "一、总体情况" in text  # headings stay on their own line


def test_a_pdf_saved_as_hard_wrapped_text_is_joined_into_sentences():
    # corpus/suqian_2023.txt: a PDF saved as text, every line ~38 characters and cut mid-word ("新\n媒体")
    lines = read_lines(CORPUS / "suqian_2023.txt")
    text = [l.text for l in clean_lines(lines).lines]
    assert any("通过政府网站、政务新媒体、政府公报" in t and "全市共向社会主动公开政府信息18万余条。" in t for t in text)
    assert "一、总体情况" in text and "2023 年报告" in text  # headings and short lines stay on their own


def test_dashed_page_numbers_go_in_any_file():
    from bot.ingest.readers import Line

    lines = [Line("全年完成公文公开属性审查 166 件、— 2 —发布审查 330 件。"), Line("— 5 —"), Line("第 3 页 共 9 页"),
             Line("办结 12")]
    texts = [l.text for l in clean_lines(lines).lines if l.text]
    assert "— 5 —" not in texts and not any("页" in t for t in texts)
    assert any("166 件、发布审查 330 件" in t for t in texts) and any("12" in t for t in texts)

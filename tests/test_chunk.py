"""Chunk boundaries on real seed text."""

from pathlib import Path

from bot.chunk import MAX_CHUNK_CHARS, chunk_document, chunk_id_int, split_sentences
from bot.models import Document, Paragraph

SEED = Path(__file__).parents[1] / "corpus" / "001_d6e3f92ae18b423a.txt"


def _doc_from_seed_lines(first: int, last: int) -> Document:
    """A Document whose paragraphs are real lines of seed 001, headings detected by '一、' style."""
    lines = [l for l in SEED.read_text(encoding="utf-8").splitlines() if l.strip()][first:last]
    text, paras, section = "", [], ()
    for line in lines:
        start = len(text)
        text += line + "\n"
        heading = len(line) < 25 and len(line) > 1 and line[1] == "、"
        if heading:
            section = (line,)
        paras.append(Paragraph(line, start, start + len(line), section, is_heading=heading))
    return Document(id="001_d6e3f92ae18b423a", file=SEED.name, text=text, paragraphs=paras,
                    title="咸宁市民政局2015年政府信息公开工作年度报告", body="咸宁市民政局", year=2015)


def test_sentences_keep_their_end_punctuation_and_offsets():
    text = "本年度无依申请公开信息。本年度无因政府信息公开申请行政复议、提起行政诉讼的情况。"
    spans = split_sentences(text, offset=10)
    assert [text[s - 10:e - 10] for s, e in spans] == [
        "本年度无依申请公开信息。", "本年度无因政府信息公开申请行政复议、提起行政诉讼的情况。"]


def test_chunks_stay_inside_sections_quote_exact_text_and_carry_context():
    doc = _doc_from_seed_lines(5, 40)
    chunks = chunk_document(doc)
    assert len(chunks) > 10
    for c in chunks:
        assert doc.text[c.start:c.end] == c.text
        # body and year are already in the title: said once
        assert c.embed_text.startswith("咸宁市民政局2015年政府信息公开工作年度报告" + (" | " if c.section else "\n"))
        assert c.embed_text.count("咸宁市民政局") == 1 + c.text.count("咸宁市民政局")
        # a chunk is one paragraph's sentences: it never swallows a line break
        assert "\n" not in c.text
        # only a single over-long sentence may exceed the limit
        assert len(c.text) <= MAX_CHUNK_CHARS or len(split_sentences(c.text)) == 1
    # the low-income household figure stays inside one chunk together with its subject
    fig = [c for c in chunks if "121702" in c.text]
    assert len(fig) == 1 and "城乡低保对象" in fig[0].text
    assert fig[0].section == ("二、重点领域政府信息公开工作落实情况",)
    # headings are not chunks of their own
    assert not any(c.text == "一、总体工作情况" for c in chunks)


def test_chunk_ids_are_stable_and_change_with_content():
    a = chunk_id_int("doc", "hash1", 0)
    assert a == chunk_id_int("doc", "hash1", 0)
    assert a != chunk_id_int("doc", "hash2", 0) != chunk_id_int("doc", "hash1", 1)
    assert 0 < a < 2**63

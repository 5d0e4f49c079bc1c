"""Names and words of real report excerpts (tests/data/reports_h): a CMS metadata grid, short names of bodies,
English names of bodies, hyphenated compounds, words jieba's HMM glues together. Mechanisms, not QA questions."""

from pathlib import Path
from types import SimpleNamespace

from bot.answer.concepts import concepts
from bot.ingest import load_corpus, read_documents
from bot.retrieve.english import render
from bot.retrieve.query import Catalog, analyze, same_body
from bot.store.lexical import Segmenter
from bot.text import normalize

REPORTS_H = Path(__file__).parent / "data" / "reports_h"


def test_a_cms_metadata_grid_read_as_table_rows_names_the_report():
    """"标题: | …年度报告 | ||" and "发文日期: | 2016-02-10 | 发布机构: | …" are the page's metadata, not text."""
    doc = read_documents(REPORTS_H / "gaoqing_zhengfuban_2015.txt")[0]
    assert doc.title == "高青县人民政府办公室2015年政府信息公开工作年度报告"
    assert doc.body == "高青县人民政府办公室" and doc.year == 2015
    assert "索引号" not in doc.text and "2015年,“政民互动平台”收到各类咨询、投诉、建议1450条" in doc.text
    later = read_documents(REPORTS_H / "gaoqing_zhengfuban_2025.txt")[0]  # the site's name above the grid
    assert later.body == "高青县人民政府办公室" and later.year == 2025


def test_words_the_hmm_glued_from_a_postposition_and_a_verb_are_no_words():
    seg = Segmenter()
    assert "上发" not in seg.words("黑龙江省人防办2020年在人防信息网上发了多少条人防信息")
    assert "信息网" in seg.words("黑龙江省人防办2020年在人防信息网上发了多少条人防信息")
    assert "上营" in seg.words("临洮县上营乡今年收到多少申请")  # a place: kept


def test_short_names_drop_the_office_noun_to_one_character():
    assert same_body("人防办", "人民防空办公室")
    assert same_body("卫健委", "卫生健康委员会")
    assert not same_body("人防办", "人民防空指挥部")


def test_a_hyphenated_compound_the_reports_say_as_one_word():
    rendered = render(["party-building", "items"], lambda t: t in {"党建", "条目"})
    assert ("党建",) in [alts for alts, _ in rendered.groups]
    words = render(["policy-explainer"], lambda t: t in {"政策", "解读"})  # no compound: its words
    assert any("政策" in alts for alts, _ in words.groups)


def test_the_asked_bodys_english_name_is_no_word_to_find():
    docs = [read_documents(REPORTS_H / f"heilongjiang_renfangban_{y}.txt")[0] for y in (2020, 2021)]
    catalog = Catalog.from_documents(docs)
    text = normalize(" ".join(d.text for d in docs))  # what the lexical index holds (simplified)
    retriever = SimpleNamespace(catalog=catalog, term_df=lambda t: int(t in text),
                                data=SimpleNamespace(segmenter=Segmenter(), chunks=[None] * 10))
    info = analyze("How many Party-building items did the Heilongjiang Provincial Civil Air Defense Office "
                   "publish in 2021?", catalog)
    assert docs[1].id in info.doc_ids
    asked = {a for c in concepts(info, retriever)[0] for a in c.alternatives}
    assert "党建" in asked
    assert not asked & {"省", "民事", "防空", "办公室", "\x00air", "\x00civil"}


def test_an_email_address_is_not_the_address():
    from bot.answer.contact import contact_field

    line = "请与高青县人民政府办公室政务公开科联系(地址:山东省淄博市高青县黄河路81号;邮编:256300;邮箱:gqxzfbgs@zb.shandong.cn)。"
    assert contact_field("what email address does the office give", line) == "gqxzfbgs@zb.shandong.cn"
    assert contact_field("what is the office's address", line) == "山东省淄博市高青县黄河路81号"


def test_a_dictionary_word_sharing_its_first_character_with_the_reports_word_earns_half_credit():
    """CC-CEDICT renders "push out" as 推出, never 推送; shuyang_2025 says 推送系列原创短视频. A character that starts
    the genre's own words (政 of 政府, as in 政策 for "policy") earns nothing."""
    from bot.answer.concepts import coverage

    docs, _ = load_corpus(Path(__file__).parents[1] / "corpus")
    doc = next(d for d in docs if d.id == "shuyang_2025")
    text = normalize(" ".join(d.text for d in docs))  # the words the shipped reports use
    retriever = SimpleNamespace(catalog=Catalog.from_documents([doc]), term_df=lambda t: int(t in text),
                                data=SimpleNamespace(segmenter=Segmenter(), chunks=[None] * 10))
    cs = concepts(analyze("How many short videos did the county push out on policy?"), retriever)[0]
    push = next(c for c in cs if c.rendered and "推" in c.partial)
    assert "推送" not in push.alternatives
    assert coverage(normalize("推送系列原创短视频1113个"), [push])[0] == 0.5
    assert not any("政" in c.partial for c in cs)

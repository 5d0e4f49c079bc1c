"""BM25 over jieba words + bigrams on normalized text."""

from bot.store.lexical import LexicalIndex, Segmenter, base_segmenter, words
from bot.text import normalize

SENTENCES = [
    "2009年共受理依申請公開事項141件",  # traditional, as in seed 000
    "2015年,全市共有城乡低保对象121702户",
    "2014年1月至今累计公开政府信息547条",
]


def tokenize(text):
    return base_segmenter().tokenize(text)


def test_traditional_and_simplified_share_tokens():
    assert set(tokenize(normalize("依申請公開"))) == set(tokenize(normalize("依申请公开")))


def test_bm25_ranks_the_sentence_that_shares_the_words():
    index = LexicalIndex([tokenize(normalize(s)) for s in SENTENCES])
    scores = index.scores(tokenize(normalize("受理了多少件依申请公开事项")))
    assert scores.argmax() == 0 and scores[0] > 0
    assert index.scores(tokenize(normalize("低保对象有多少户"))).argmax() == 1
    assert not index.scores(["zzzz"]).any()


def test_vocabulary_keeps_place_names_whole_without_touching_others():
    seg = Segmenter(["立岗镇人民政府"])
    assert "立岗镇人民政府" in seg.words("立岗镇人民政府2014年累计公开政府信息")
    # no process-wide state: the base segmenter and a second index's segmenter are unchanged
    assert words("人民政府") == ["人民政府"] and Segmenter().words("人民政府") == ["人民政府"]

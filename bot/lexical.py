"""Lexical retrieval: BM25 over jieba words plus CJK character bigrams, on normalized text."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

import numpy as np

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_WORD = re.compile(r"[a-z]+|\d+(?:\.\d+)?")
_STOP = frozenset("的 了 和 与 及 或 在 是 为 对 等 把 将 有 也 都 而 其 之 中 年 共 多少 几 吗 呢 么 什么 哪些 哪 是否".split())


# Terms of the disclosure-report genre that jieba's general dictionary splits apart.
DOMAIN_TERMS = ("依申请公开", "主动公开", "政府信息公开", "行政复议", "行政诉讼", "信息处理费", "不予公开", "部分公开",
                "予以公开", "不予处理", "无法提供", "政务公开", "政务新媒体", "规范性文件", "政策解读", "公开申请",
                "上年结转", "结转下年度", "尚未审结", "结果维持", "结果纠正", "低保对象", "临时救助", "吃空饷",
                "办结率", "提前办结率", "门户网站", "访问量", "领导小组", "行政许可", "行政处罚", "行政强制",
                "行政事业性收费", "新闻发布会", "政府网站", "本机关不掌握", "当面申请", "网络申请", "信函申请")


@functools.lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    for term in DOMAIN_TERMS:
        jieba.add_word(term, freq=50000)
    return jieba


def add_user_words(words: Iterable[str]) -> None:
    """Teach the segmenter place and body names from the corpus so they stay whole words."""
    jb = _jieba()
    for w in words:
        if w and len(w) >= 2:
            jb.add_word(w, freq=20000)


def tokenize(norm_text: str) -> list[str]:
    """Tokens of already-normalized text: words (search mode) + CJK bigrams + latin words and numbers."""
    jb = _jieba()
    tokens: list[str] = []
    for run in _CJK_RUN.findall(norm_text):
        tokens.extend(w for w in jb.lcut_for_search(run) if len(w) > 1 and w not in _STOP)
        tokens.extend(run[i:i + 2] for i in range(len(run) - 1))
        if len(run) == 1:
            tokens.append(run)
    tokens.extend(_WORD.findall(norm_text))
    return tokens


def words(norm_text: str) -> list[str]:
    """Content words of normalized text (jieba precise mode), for matching question terms in sentences."""
    jb = _jieba()
    return [w for run in _CJK_RUN.findall(norm_text) for w in jb.lcut(run) if len(w) > 1 and w not in _STOP]


class LexicalIndex:
    """BM25 (bm25s) over chunk token lists; rebuilt wholesale on update because IDF is global anyway."""

    def __init__(self, token_lists: Sequence[list[str]]):
        import bm25s

        self.size = len(token_lists)
        self._bm25 = bm25s.BM25(k1=1.2, b=0.75)
        # bm25s needs at least one non-empty document
        self._bm25.index([t or ["\x00"] for t in token_lists] or [["\x00"]], show_progress=False)
        self._vocab = set(self._bm25.vocab_dict)

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        known = [t for t in query_tokens if t in self._vocab]
        if not known or self.size == 0:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)[: self.size]

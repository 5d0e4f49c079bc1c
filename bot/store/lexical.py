"""Lexical retrieval: BM25 over jieba words plus CJK character bigrams, on normalized text.

Segmentation has no process-wide state: a `Segmenter` owns its own jieba dictionary, built from the genre's
terms plus an explicit vocabulary (the index's place and body names) that is saved with the index, so the
tokens of an index and of a question never depend on what else the process has opened.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable, Sequence

import bm25s
import jieba
import numpy as np

from bot.text import CJK_RUN

_WORD = re.compile(r"[a-z]+|\d+(?:\.\d+)?")
_STOP = frozenset("的 了 和 与 及 或 在 是 为 对 等 把 将 有 也 都 而 其 之 中 年 共 多少 几 吗 呢 么 什么 哪些 哪 是否".split())

# Terms of the disclosure-report genre that jieba's general dictionary splits apart.
DOMAIN_TERMS = ("依申请公开", "主动公开", "政府信息公开", "行政复议", "行政诉讼", "信息处理费", "不予公开", "部分公开",
                "予以公开", "不予处理", "无法提供", "政务公开", "政务新媒体", "规范性文件", "政策解读", "公开申请",
                "上年结转", "结转下年度", "尚未审结", "结果维持", "结果纠正", "低保对象", "临时救助", "吃空饷",
                "办结率", "提前办结率", "门户网站", "访问量", "领导小组", "行政许可", "行政处罚", "行政强制",
                "行政事业性收费", "新闻发布会", "政府网站", "本机关不掌握", "当面申请", "网络申请", "信函申请")

jieba.setLogLevel(logging.WARNING)


class Segmenter:
    """jieba with its own dictionary: the genre terms plus `vocabulary` (names that must stay whole words)."""

    def __init__(self, vocabulary: Iterable[str] = ()):
        self.vocabulary: tuple[str, ...] = tuple(sorted({w for w in vocabulary if w and len(w) >= 2}))
        self._jb = jieba.Tokenizer()
        self._jb.initialize()
        for term in DOMAIN_TERMS:
            self._jb.add_word(term, freq=50000)
        for word in self.vocabulary:
            self._jb.add_word(word, freq=20000)

    def tokenize(self, norm_text: str) -> list[str]:
        """Tokens of normalized text: words (search mode) + CJK bigrams + latin words and numbers."""
        tokens: list[str] = []
        for run in CJK_RUN.findall(norm_text):
            tokens.extend(w for w in self._jb.lcut_for_search(run) if len(w) > 1 and w not in _STOP)
            tokens.extend(run[i:i + 2] for i in range(len(run) - 1))
            if len(run) == 1:
                tokens.append(run)
        tokens.extend(_WORD.findall(norm_text))
        return tokens

    def words(self, norm_text: str) -> list[str]:
        """Content words of normalized text (jieba precise mode), for matching question terms in sentences."""
        return [w for run in CJK_RUN.findall(norm_text) for w in self._jb.lcut(run) if len(w) > 1 and w not in _STOP]


@functools.lru_cache(maxsize=1)
def base_segmenter() -> Segmenter:
    """The genre terms only; never changed after it is made."""
    return Segmenter()


def words(norm_text: str) -> list[str]:
    """Content words with the base segmenter (question analysis, sentence matching)."""
    return base_segmenter().words(norm_text)


class LexicalIndex:
    """BM25 (bm25s) over chunk token lists; rebuilt wholesale on update because IDF is global anyway."""

    def __init__(self, token_lists: Sequence[list[str]]):
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

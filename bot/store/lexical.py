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


@functools.lru_cache(maxsize=1)
def _main_dictionary() -> tuple[dict[str, int], int]:
    """jieba's main dictionary (word -> frequency, total), read once per process and never changed: reading it is
    one unmarshal call that holds the interpreter lock for 0.2-0.5 s, which a server reopening its index after
    every upload would otherwise impose on every request in flight."""
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer.FREQ, tokenizer.total


_GLUE_HEAD = frozenset("上中里内年数号条")
PLACE_LEVELS = frozenset("村乡镇县区市省")  # the level a place name ends with: 上营乡, 九原区


class Segmenter:
    """jieba with its own dictionary: the genre terms plus `vocabulary` (names that must stay whole words)."""

    def __init__(self, vocabulary: Iterable[str] = ()):
        self.vocabulary: tuple[str, ...] = tuple(sorted({w for w in vocabulary if w and len(w) >= 2}))
        freq, total = _main_dictionary()
        self._jb = jieba.Tokenizer()
        self._jb.FREQ, self._jb.total, self._jb.initialized = dict(freq), total, True  # own copy: add_word writes
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

    def cut(self, norm_text: str) -> list[str]:
        """Every token of normalized text in order (jieba precise mode), particles and punctuation included."""
        return self._jb.lcut(norm_text)

    def words(self, norm_text: str) -> list[str]:
        """Content words of normalized text (jieba precise mode), for matching question terms in sentences."""
        out = []
        for run in CJK_RUN.findall(norm_text):
            cut = self._jb.lcut(run)
            out += [w for i, w in enumerate(cut) if len(w) > 1 and w not in _STOP and not self._glued(cut, i)]
        return out

    def _glued(self, cut: list[str], i: int) -> bool:
        """A word jieba's HMM made of a postposition or suffix and the next verb, no dictionary word: "信息网上发了"
        -> 上发, "今年收到" -> 年收. (A place is kept: "上营" of "县上营乡".)"""
        w = cut[i]
        place = i + 1 < len(cut) and cut[i + 1][:1] in PLACE_LEVELS
        return i > 0 and len(w) == 2 and w[0] in _GLUE_HEAD and not self._jb.FREQ.get(w) and not place


@functools.lru_cache(maxsize=1)
def base_segmenter() -> Segmenter:
    """The genre terms only; never changed after it is made."""
    return Segmenter()


def words(norm_text: str) -> list[str]:
    """Content words with the base segmenter (question analysis, sentence matching)."""
    return base_segmenter().words(norm_text)


K1, B = 1.2, 0.75


class LexicalIndex:
    """BM25 (Lucene variant, as bm25s scores it) over chunk token lists, as a token-major sparse matrix.

    Built with numpy in one pass (about a minute for a million chunks on one core); rebuilt wholesale on update
    because IDF is global anyway. A query adds the posting list of each distinct query token (times its count)
    into one score array: the cost is the length of those lists, not the number of chunks."""

    def __init__(self, token_lists: Sequence[list[str]]):
        self.size = len(token_lists)
        self._vocab: dict[str, int] = {}
        lengths = np.fromiter((len(t) for t in token_lists), dtype=np.int64, count=self.size)
        ids = np.fromiter((self._vocab.setdefault(t, len(self._vocab)) for ts in token_lists for t in ts),
                          dtype=np.int64, count=int(lengths.sum()))
        docs = np.repeat(np.arange(self.size, dtype=np.int64), lengths)
        pairs, tf = np.unique(ids * max(self.size, 1) + docs, return_counts=True)  # token-major, then chunk
        del ids, docs
        tok, doc = np.divmod(pairs, max(self.size, 1))
        df = np.bincount(tok, minlength=len(self._vocab))
        idf = np.log1p((self.size - df + 0.5) / (df + 0.5))
        dl = np.maximum(lengths, 1)  # an empty chunk counts one token, as bm25s's placeholder did
        norm = K1 * ((1 - B) + B * dl / max(float(dl.mean()) if self.size else 1.0, 1e-9))
        self._data = (idf[tok] * tf / (norm[doc] + tf)).astype(np.float32)
        self._docs = doc.astype(np.int32 if self.size < 2**31 else np.int64)
        self._indptr = np.concatenate([[0], np.cumsum(df)]).astype(np.int64)

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        out = np.zeros(self.size, dtype=np.float32)
        counts: dict[int, int] = {}
        for t in query_tokens:
            if t in self._vocab:
                counts[self._vocab[t]] = counts.get(self._vocab[t], 0) + 1
        for tid, count in counts.items():
            a, b = self._indptr[tid], self._indptr[tid + 1]
            out[self._docs[a:b]] += self._data[a:b] * count if count > 1 else self._data[a:b]
        return out

"""Chinese words an English question writes in pinyin ("Douyin" for 抖音, "wubao" for 五保): the dictionary has no
gloss for them, but the asked reports spell them, so they are found there by their sound."""

from __future__ import annotations

import functools
import re
from collections import Counter

from pypinyin import lazy_pinyin

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
_LENGTHS = (2, 3, 4)  # a word of two to four characters


@functools.lru_cache(maxsize=64)
def _sounds(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each run of Chinese characters of a report with the toneless pinyin of its characters."""
    return tuple((m.group(), tuple(lazy_pinyin(m.group()))) for m in _CJK_RUN.finditer(text))


def spelled_in(word: str, texts: list[str]) -> tuple[str, ...]:
    """The words of `texts` whose pinyin, run together, is `word` ("douyin" -> 抖音), most frequent first."""
    word = word.lower()
    found: Counter[str] = Counter()
    for text in texts:
        for run, sounds in _sounds(text):
            for n in _LENGTHS:
                for i in range(len(run) - n + 1):
                    if "".join(sounds[i:i + n]) == word:
                        found[run[i:i + n]] += 1
    return tuple(w for w, _ in found.most_common())

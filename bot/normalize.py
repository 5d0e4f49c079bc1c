"""Text normalization shared by every stage: one view for matching, originals kept for quoting."""

from __future__ import annotations

import functools
import re
import unicodedata


@functools.lru_cache(maxsize=1)
def _t2s():
    import opencc  # lazy: keeps `python -m bot --help` instant

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text) if text else text


_SPACE = re.compile(r"[ \t\u3000\xa0]+")


def normalize(text: str) -> str:
    """NFKC (full-width digits/letters/punctuation to half-width), traditional to simplified,
    lower case, runs of spaces collapsed. Length may change; never use offsets across views."""
    text = unicodedata.normalize("NFKC", text)
    text = to_simplified(text)
    return _SPACE.sub(" ", text).lower()


_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_year(text: str) -> int | None:
    """'二〇〇九' / '二○一四' -> 2009 / 2014; None when not four Chinese digits."""
    if len(text) == 4 and all(c in _CN_DIGITS for c in text):
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    return None

"""Text helpers shared by every stage: normalization, the CJK range, years and Chinese digits.

One view for matching (normalized), the original characters kept for quoting.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import opencc

CJK = "\u4e00-\u9fff"  # the CJK unified ideographs, for character classes: rf"[{CJK}]"
CJK_CHAR = re.compile(rf"[{CJK}]")
CJK_RUN = re.compile(rf"[{CJK}]+")
# a year a report can cover, as digits: matches 2009 in "2009年", not 12009
YEAR = re.compile(r"(?<!\d)(19[89]\d|20[0-4]\d)(?!\d)")
CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# a year in Chinese digits before 年: matches 二〇〇九 in "二〇〇九年"
CN_YEAR = re.compile(r"[〇○零一二三四五六七八九]{4}(?=年)")
_SPACE = re.compile(r"[ \t\u3000\xa0]+")


@functools.lru_cache(maxsize=1)
def _t2s():
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text) if text else text


def normalize(text: str) -> str:
    """NFKC (full-width digits/letters/punctuation to half-width), traditional to simplified,
    lower case, runs of spaces collapsed. Length may change; never use offsets across views."""
    text = unicodedata.normalize("NFKC", text)
    text = to_simplified(text)
    return _SPACE.sub(" ", text).lower()


def scrub(text: str) -> str:
    """Drop what cannot be encoded (lone surrogates such as '\\ud800') so no later stage fails on it."""
    return text.encode("utf-8", "ignore").decode("utf-8")


# an absolute file path (/srv/bot/index/manifest.json, C:\\bot\\index): not after a word character, ':' or '/',
# so URLs (http://host:19530/x), relative names and this server's endpoints (/api/docs) stay
_ABS_PATH = re.compile(r"(?<![\w:/\\])(?:/(?!api/|v1/)|[A-Za-z]:\\)(?:[^\s/\\'\"]+[/\\])*([^\s/\\'\"]*)")


def redact_paths(text: str) -> str:
    """Absolute file paths replaced by their last part, so messages shown to the public name no server path."""
    return _ABS_PATH.sub(lambda m: m.group(1) or "(path)", text)


def chinese_year(text: str) -> int | None:
    """'二〇〇九' / '二○一四' -> 2009 / 2014; None when not four Chinese digits."""
    if len(text) == 4 and all(c in CN_DIGITS for c in text):
        return int("".join(str(CN_DIGITS[c]) for c in text))
    return None


def find_year(text: str) -> int | None:
    """The first year named in `text`, as digits (2009) or Chinese digits (二〇〇九年)."""
    m = YEAR.search(text)
    if m:
        return int(m.group(1))
    m = CN_YEAR.search(text)
    return chinese_year(m.group(0)) if m else None


@functools.lru_cache(maxsize=4096)
def _gapped(term: str) -> re.Pattern:
    return re.compile(re.escape(term[:2]) + r"(?:(?![不未无没非])[\u4e00-\u9fff]){0,2}?" + re.escape(term[2:]))


# verb-object words the language splits around their object ("收费" in "收取信息处理费", "缴费" in "缴纳…费用")
_SEPARABLE = frozenset("收费 缴费 付费 交费 退费 减费 免费".split())


@functools.lru_cache(maxsize=64)
def _split_verb_object(term: str) -> re.Pattern:
    # "收取信息处理费": the verb's character, up to eight characters of one clause, the object's
    return re.compile(re.escape(term[0]) + r"(?:(?![不未无没非])[\u4e00-\u9fff]){0,8}?" + re.escape(term[1]))


def find_term(text: str, term: str) -> int:
    """Where `term` starts in `text` (-1 if nowhere); a four-character Chinese compound is also found with up to two
    characters between its halves ("政府网站" in "政府门户网站", "全部公开" in "全部给公开"), unless they negate
    ("全部不予公开"); a separable verb-object word with its object between ("收费" in "收取信息处理费")."""
    at = text.find(term)
    if at >= 0 or CJK_RUN.fullmatch(term) is None:
        return at
    if term in _SEPARABLE:
        m = _split_verb_object(term).search(text)
        return m.start() if m else -1
    if len(term) != 4:
        return at
    m = _gapped(term).search(text)
    return m.start() if m else -1


def says(text: str, term: str) -> bool:
    return find_term(text, term) >= 0

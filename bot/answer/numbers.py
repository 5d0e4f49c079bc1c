"""Numbers in report text: quantities with units, dates, phones; and the check that an answer's numbers
occur in its evidence (full-width digits, thousands separators and Chinese numerals normalized)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

_UNITS = ("万人次|万元|亿元|万人|万户|万件|万条|万份|万册|万次|个工作日|个百分点|人次|户次|件次|条次|%|％|‰|"
          "件|条|條|项|項|人|户|戶|次|元|个|個|家|名|场|場|期|篇|份|部|批|类|類|套|台|天|小时|所|座|村|本|封|起|宗|"
          "栏|欄|批次|笔|筆|万|亿|倍|分钟|年")
UNITS = _UNITS  # the measure words a figure may carry (a regex alternation)
_ARABIC = re.compile(
    r"(?<![\d.])(?P<num>\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<approx>余|多|以上)?\s*"
    rf"(?P<unit>{_UNITS})?")
_AFTER_MYRIAD = re.compile(r"(?P<approx>余|多)?(?P<unit>人次|件|条|條|项|項|人|户|戶|次|个|個|份|册|篇|家|笔|元)")
_CN_NUM = "零〇○一二两三四五六七八九十百千万亿"
# a money noun just before a figure in 万 / 亿: "已投入资金58.5万", "总投资约200万"
_MONEY_BEFORE = re.compile(r"(?:资金|经费|金额|投入|投资|款|拨付|费用?|收入|支出|结余|预算)[^，,。；;\d]{0,4}$")
_APPROX_BEFORE = re.compile(r"(约|大约|近|将近|逾|超过)$")
# a Chinese numeral and its measure word: "三十余件", "五大类" (大 of 大类 / 大项 between)
_CHINESE = re.compile(rf"(?<![第{_CN_NUM}])(?P<num>[{_CN_NUM}]{{1,12}})(?P<approx>余|多)?(?:大(?=[类類项項]))?(?P<unit>{_UNITS})")
_DATE = re.compile(r"(?<!\d)(?:(?:19|20)\d{2}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日|(?<!\d)(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}(?!\d)")
_PHONE = re.compile(r"(?<!\d)(?:0\d{2,3}[-—－ ]?\d{7,8}|1[3-9]\d{9}|\d{3,4}-\d{7,8})(?!\d)")
_URL = re.compile(r"(?:https?://|www\.)[\w./?%&=#~:+-]+", re.I)  # "https://x.gov.cn/202201/t20220119_80609.htm"
# a month without its day, spaced as crawled pages space it: "今年6 月份", "10月底" (its number counts nothing)
MONTH = re.compile(r"(?<![\d.])(?:1[0-2]|0?[1-9])\s*月(?:份|底|初|末)?(?![\d日号])")
_TIME = re.compile(r"(?<![\d:])\d{1,2}[:：]\d{2}(?![\d:])")  # a clock time, "16:56" of a page's 时间 line
_CODE = re.compile(r"[\[〔（(]\s*\d{4}\s*[\]〕）)]\s*\d+\s*号")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?=\s*年)")
_BARE_YEAR = re.compile(r"(?:19[89]|20[0-4])\d(?=[\u4e00-\u9fff])")
# a list item's number at the start of a clause: matches "2、" in "2、介休市政府门户网站…", not "2件"
_LIST_MARK = re.compile(r"(?:(?<=^)|(?<=[。；;：:，,\s]))\d{1,2}[、．](?!\d)")
_CITATION_MARK = re.compile(r"\[\d{1,2}\]|【\d{1,2}】")
_NOT_NUMERAL_WORDS = re.compile(r"一是|一把手|统一|一致|一体|一些|一定|一直|一步|一批|一线|一般|一起|一切|进一步|唯一|之一|"
                                r"一站式|万一|十分|百姓|千方百计|三农|一窗|一网|一次性|一事一|一条龙|一对一")


def is_list_mark(text: str, pos: int) -> bool:
    """Whether the number at `pos` numbers a list item ("2、" of "；2、介休市…"), not a count."""
    return _LIST_MARK.match(text, pos) is not None


@dataclass(frozen=True)
class Quantity:
    value: str  # canonical decimal: "1200", "36.5"
    raw: str  # as written
    start: int
    end: int  # end of the number and unit
    unit: str = ""
    approx: bool = False
    kind: str = "number"  # number | percent | year | date | phone | code


def canonical(number: str) -> str:
    text = unicodedata.normalize("NFKC", number)
    text = re.sub(r"[,，\s]", "", text)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.lstrip("0") or "0"


def chinese_to_number(text: str) -> str | None:
    import cn2an

    text = text.replace("〇", "零").replace("○", "零").replace("两", "二")
    try:
        value = cn2an.cn2an(text, "smart")
    except (ValueError, KeyError, IndexError):
        return None
    return canonical(str(value))


def extract_quantities(text: str) -> list[Quantity]:
    """Every number in `text` with its unit and kind, in reading order, without overlaps."""
    text_nfkc = unicodedata.normalize("NFKC", text)  # same length for digits/letters: offsets stay valid
    if len(text_nfkc) != len(text):
        text_nfkc = text
    taken: list[tuple[int, int]] = []
    out: list[Quantity] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    def add(q: Quantity) -> None:
        taken.append((q.start, q.end))
        out.append(q)

    for kind, pattern in (("url", _URL), ("code", _CODE), ("phone", _PHONE), ("date", _DATE), ("month", MONTH), ("time", _TIME)):
        for m in pattern.finditer(text_nfkc):
            if free(m.start(), m.end()):
                add(Quantity(canonical(re.sub(r"\D", "", m.group(0))), text[m.start():m.end()], m.start(), m.end(),
                             kind=kind))
    for m in _ARABIC.finditer(text_nfkc):
        s, e = m.start("num"), m.end()
        if not free(s, e) or not m.group("num") or is_list_mark(text_nfkc, s):
            continue
        unit = m.group("unit") or ""
        kind = "number"
        if unit in ("%", "％", "‰"):
            kind = "percent"
        elif unit == "年" and _YEAR.match(text_nfkc, s):
            kind = "year"
        elif text_nfkc[s - 1:s] == "第":
            kind = "ordinal"  # "国务院令第711号", "第3季度": which one, not how many
        elif not unit and _BARE_YEAR.match(text_nfkc, s):
            kind = "year"  # "2019第六届“海洋杯”": a year without its 年
        if unit == "年" and kind != "year":
            unit = "年"
        approx = bool(m.group("approx")) or bool(_APPROX_BEFORE.search(text_nfkc, max(0, s - 2), s))
        counted = _AFTER_MYRIAD.match(text_nfkc, e) if unit in ("万", "亿") else None
        if counted:  # "12万余条": the measure word after 万 (and the 余 between) belong to the figure
            unit, e, approx = unit + counted.group("unit"), counted.end(), approx or bool(counted.group("approx"))
        elif unit in ("万", "亿") and _MONEY_BEFORE.search(text_nfkc, max(0, s - 10), s):
            unit += "元"  # "投入资金58.5万": an amount of money written without its 元
        add(Quantity(canonical(m.group("num")), text[s:e].strip(), s, e, unit, approx, kind))
    blocked = [(m.start(), m.end()) for m in _NOT_NUMERAL_WORDS.finditer(text)]
    for m in _CHINESE.finditer(text):
        s, e = m.start("num"), m.end()
        if not free(s, e) or any(a < m.end("num") and s < b for a, b in blocked) or text[max(0, s - 1):s] == "每":
            continue  # "每一件": each one, not a count
        single = len(m.group("num")) == 1
        if m.group("unit") == "年" or (single and m.group("unit") in ("个", "次", "批", "期")) or \
                (m.group("num") in ("一", "两") and m.group("unit") in ("类", "類")):
            continue  # 一年, 一个, 六个(部分), 一类: words, not figures; "五大类" is one
        value = chinese_to_number(m.group("num"))
        if value is None:
            continue
        approx = bool(m.group("approx")) or bool(_APPROX_BEFORE.search(text, max(0, s - 2), s))
        add(Quantity(value, text[s:e], s, e, m.group("unit"), approx, "number"))
    out.sort(key=lambda q: q.start)
    return out


def canonical_numbers(text: str) -> set[str]:
    """Every number value in `text`: quantities, Chinese numerals, and each digit group of dates/phones."""
    values: set[str] = set()
    for q in extract_quantities(text):
        values.add(q.value)
        if not re.search(r"\d", q.raw):
            # "三万" is also "3万": a figure written with 万/亿 in digits keeps the multiplier in its unit
            for char, scale in (("万", 10_000), ("亿", 100_000_000)):
                if char in q.raw and float(q.value) % scale == 0:
                    values.add(canonical(str(float(q.value) / scale)))
        if q.kind in ("date", "phone", "code"):
            values.update(canonical(g) for g in re.findall(r"\d+", unicodedata.normalize("NFKC", q.raw)))
    for g in re.findall(r"\d+(?:\.\d+)?", re.sub(r"(?<=\d)[,，](?=\d{3})", "", unicodedata.normalize("NFKC", text))):
        values.add(canonical(g))
    return values


def unsupported_numbers(answer: str, evidence: str | Sequence[str]) -> list[str]:
    """Numbers in the answer that the evidence does not contain (citation markers like [1] are skipped)."""
    evidence_text = evidence if isinstance(evidence, str) else "\n".join(evidence)
    have = canonical_numbers(evidence_text)
    answer = _CITATION_MARK.sub(" ", answer)
    missing = []
    for value in sorted(canonical_numbers(answer)):
        if value not in have:
            missing.append(value)
    return missing

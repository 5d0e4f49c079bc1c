"""Combined questions answered by parts: a question that adds, subtracts, compares or takes a share of figures
is split into single-figure questions, one per operand; the ordinary reader answers each (with its own evidence
check) and the result is computed from the figures those answers cite, showing the arithmetic.

Operands come from the question's structure, never from phrases of particular questions:
- the reports it names: its places × its years ("洪泽区2023年和2024年…", "A市…比B区…多多少");
- a coordination inside one report's question ("予以公开和部分公开的…一共", "X and Y");
- a share's whole and part ("X里Y占多少比例", "what share of X came from Y");
- a complement's whole and the parts it leaves out ("除X以外的", "besides X and Y", "not about X").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.answer.table import named_row_terms, row_position
from bot.facts.questions import COMPLEMENT, operation, percent_change, years_named
from bot.retrieve import QueryInfo
from bot.store.lexical import base_segmenter
from bot.text import CN_YEAR, YEAR


@dataclass(frozen=True)
class Operand:
    """One single-figure question: its text and, for one report of several, the year and reports it is about."""

    text: str
    year: int | None = None
    doc_ids: tuple[str, ...] = ()
    label: str = ""  # what the operand is: "2023", "洪泽", "部分公开"


@dataclass(frozen=True)
class Plan:
    op: str  # sum | difference | share | max | min | trend
    operands: tuple[Operand, ...]


def plan(info: QueryInfo, catalog) -> Plan | None:
    """The operands of a combined question, or None when it asks for one figure (or cannot be split)."""
    if COMPLEMENT.search(info.norm):
        items = _complement(info)
        return Plan("remainder", tuple(items)) if len(items) >= 2 else None
    op = operation(info.norm) or _implicit_sum(info.norm)
    if op is None or (op == "difference" and percent_change(info.norm)):
        return None  # one figure asked, or a change in percent, which reports state themselves ("同比增长2.5%")
    if op != "share":
        reports = _report_operands(info, catalog)
        if op == "ratio":  # a ratio is read in the order the question names its years
            reports.sort(key=lambda o: info.norm.find(str(o.year)) if o.year else 0)
            reports = [_ratio_side(info.text, o) for o in reports]
        if len(reports) >= 2:
            return Plan(op, tuple(reports))
        if op in ("difference", "ratio"):
            items = _row_operands(info.norm) or _two_sides(info.norm, info.lang)
        elif op != "sum":
            return None
        else:
            items = _coordinated(info.norm, info.lang, catalog)
    else:
        items = _whole_and_part(info.norm, info.lang)
    return Plan(op, tuple(items)) if len(items) >= 2 else None


# "A…是B…的多少倍": each side names its own report and its own figure
_TIMES_ZH = re.compile(r"^(?P<a>.+?)是(?P<b>[^，,。？?]+?)的(?:多少|几)倍")


def _ratio_side(text: str, o: Operand) -> Operand:
    """The side of "A是B的多少倍" that names the operand's place asks its question ("沭阳县2025年全县收取金额")."""
    m = _TIMES_ZH.search(text)
    core = o.label.split(" ")[0]
    side = next((m[k] for k in ("a", "b") if m and core and core in m[k]), None)
    return replace(o, text=f"{_one_year(side, o.year)}是多少？") if side else o


def _row_operands(norm: str) -> list[Operand]:
    """Two rows of the statutory table compared in one report ("carried over into the next year than from the
    previous year", "结转下年度的比上年结转的多多少"): one question per row, in the order named."""
    rows = named_row_terms(norm)
    if len(rows) != 2:
        return []
    return [Operand(f"{t}的申请有多少件", label=t) for t in sorted(rows, key=lambda t: row_position(norm, t))]


# two things of one report compared: "(…中)A是B的多少倍", "A比B多多少"; "how many times as many A as B", "how many
# more A than B"
_SIDES_ZH = re.compile(r"^(?P<a>[^，,。？?]+?)(?:是(?P<b>[^，,。？?]+?)的(?:多少|几)倍|比(?P<c>[^，,。？?]+?)[多少]了?(?:多少|几))")
_SIDES_EN = re.compile(r"how many (?:times (?:as many|as much|more)|more|fewer|less) (?P<a>.+?) (?:as|than) "
                       r"(?P<b>.+?)(?= were| was| did| do| does| are| is| had| have|[,?]|$)", re.I)
_SCOPE_ZH = re.compile(r"^.*(?:中|里|内|当中|之中)(?=[^中里内]{2,})|^.*?(?:\d{4}年度?|年度)")


def _two_sides(norm: str, lang: str) -> list[Operand]:
    """The two things one report's question compares, each its own question; the second keeps the first's scope
    ("宿迁市2024年政策文件库中市级文件是县区级文件的多少倍": 县区级文件 of the same library and year)."""
    if lang == "en":
        m = _SIDES_EN.search(norm)
        if not m:
            return []
        rest = (norm[:m.start()] + "how many {} " + norm[m.end():]).strip()
        return [Operand(rest.format(m["a"]), label=m["a"]), Operand(rest.format(m["b"]), label=m["b"])]
    m = _SIDES_ZH.search(norm)
    if not m:
        return []
    a, b = m["a"], m["b"] or m["c"]
    scope = _SCOPE_ZH.search(a)
    if scope and not YEAR.search(b):
        b = scope.group(0) + b
    return [Operand(f"{a}有多少", label=a), Operand(f"{b}有多少", label=b)]


_EACH = re.compile(r"分别|各自|各是|\beach\b|respectively", re.I)


def _implicit_sum(norm: str) -> str | None:
    """Two rows of the statutory table asked together ("予以公开和部分公开的有多少件", "fully or partially
    disclosed"): their sum, unless each is asked for (分别, each)."""
    return "sum" if len(named_row_terms(norm)) >= 2 and not _EACH.search(norm) else None


def asks_a_stated_total(info: QueryInfo) -> bool:
    """For a question plan() found no operands in: '…粉丝加起来超过多少', 'in total' about one report and one
    thing has none to add, so it asks for the total the report states itself ("累积超2000万"), one figure."""
    return operation(info.norm) == "sum" and len(years_named(info.norm)) <= 1


# ------------------------------------------------------------------ operands from the reports named
def _places_named(info: QueryInfo, catalog) -> list[tuple[int, str, tuple[str, ...]]]:
    """(position, place, its reports) for each place the question names, in the order named. A report belongs to
    its most specific place (淮安市洪泽区… to 洪泽, not 淮安), so naming a city does not pull in its districts."""
    low = re.sub(r"['’]", "", info.text.lower())
    groups: dict[str, list[str]] = {}
    for doc_id in info.doc_ids:
        cores = catalog.regions.get(doc_id, ()) or catalog.bodies.get(doc_id, ())  # the region is the specific one
        if cores:
            groups.setdefault(cores[-1], []).append(doc_id)
    named = []
    for core, ids in groups.items():
        pos = info.norm.find(core)
        if pos < 0:
            pos = low.find(catalog.pinyin.get(core, "\x00"))
        if pos >= 0:
            named.append((pos, core, tuple(ids)))
    return sorted(named)


def named_reports(info: QueryInfo, catalog) -> tuple[str, ...]:
    """The reports of the places the question names, each at its most specific place: "淮安市" names 淮安市人民政府,
    not 淮安市洪泽区人民政府 (unless 洪泽 is named too); the question's own doc ids when none is named."""
    ids = tuple(i for _, _, group in _places_named(info, catalog) for i in group)
    return ids or info.doc_ids


def _report_operands(info: QueryInfo, catalog) -> list[Operand]:
    """One operand per (place, year) the question names: every place in every year, or the i-th place in the
    i-th year when it names as many of each ("A 2024 and B 2025")."""
    places, years = _places_named(info, catalog), years_named(info.norm)
    if len(places) < 2 and len(years) < 2:
        return []
    if len(places) > 1 and len(years) > 1:
        # the i-th place named goes with the i-th year written ("上海…2025年和淮安…2024年", "淮安2024年、沭阳2025年、
        # 上海2025年"), in the order written
        written = [int(y) for y in YEAR.findall(info.norm)]
        if len(written) != len(places):
            written = sorted(years, key=lambda y: info.norm.find(str(y)))
        if len(written) != len(places):
            return []
        pairs = list(zip(places, written))
    else:
        pairs = [(p, y) for p in places or [(0, "", info.doc_ids)] for y in years or [info.year]]
    return [
        Operand(_one_year(_plain(info.text), y), y, ids, " ".join(str(x) for x in (core, y) if x))
        for (_, core, ids), y in pairs
    ]


# the words that ask for a change or comparison, dropped from an operand's question: "比洪泽区2024年多多少" -> "多少"
_COMPARE_ZH = re.compile(r"比[^，,。？?]{1,24}?(?=(?:多|少|增加|减少|增长|下降)了?(?:多少|几))")
_CHANGE_ZH = re.compile(r"(?:多|少|增加|减少|增长|下降|变化)了?(多少|几)|(?:的)?(多少|几)倍")
_MORE_EN = re.compile(r"\b(how (?:many|much)) (?:more|fewer|less|times)\b", re.I)


def _plain(text: str) -> str:
    text = _CHANGE_ZH.sub(lambda m: m.group(1) or m.group(2), _COMPARE_ZH.sub("", text))
    return _MORE_EN.sub(r"\1", text)


# a year as written: 2023, 2023年, 二〇二三年
_A_YEAR = re.compile(rf"(?:{YEAR.pattern}|{CN_YEAR.pattern})年?")


def _one_year(text: str, year: int | None) -> str:
    """The question about one year: a run of years ("2023年和2024年", "from 2023 to 2024") becomes that year;
    years named apart ("2024年的…是2023年的…") are dropped but for that one."""
    found = list(_A_YEAR.finditer(text))
    named = {m.group(0).rstrip("年") for m in found}
    if year is None or named == {str(year)} or not named:
        return text  # that year alone named (perhaps twice), or none: nothing to choose
    if len(named) < 2:  # only another year is left ("比2023年" was dropped as the comparison): the operand's own
        return _A_YEAR.sub("", text)  # year is its scope
    zh = bool(re.search(r"[\u4e00-\u9fff]", text))
    between = text[found[0].end() : found[-1].start()]
    if _YEAR_RUN.fullmatch(between):
        return text[: found[0].start()] + (f"{year}年" if zh else str(year)) + text[found[-1].end() :]
    return _A_YEAR.sub(lambda m: m.group(0) if m.group(0).rstrip("年") == str(year) else "", text)


# what joins a run of years: "和", "到", "至", "、", " and ", " to ", " than in ", "-"
_YEAR_RUN = re.compile(r"\s*(?:和|与|及|到|至|、|-|—|~|and|to|than|than in|vs\.?|versus|,)\s*(?:in\s*)?", re.I)


# ------------------------------------------------------------------ operands from a coordination
_CONJ_ZH = frozenset("和 与 及 以及 加上 同 跟 、".split())
_CONJ_EN = re.compile(r"\s+(?:and|or|plus|as well as)\s+", re.I)
# words that end a conjunct: particles, verbs of the question, totals ("两项", "一共")
_STOP_ZH = frozenset(
    "的 了 里 中 之中 当中 共 一共 合计 总共 共计 加起来 两项 两者 二者 两类 分别 有 是 为 在 多少 几 "
    "占 之和 总和 数量 数 共有 各 从 到 比 , ， 。 ? ？ ( ) （ ）".split()
)
_STOP_EN = frozenset(
    "of the in for did does do were was is are how many much what which by on at from to "
    "together combined total sum altogether both".split()
)
_MAX_CONJUNCT = 4  # words


def _coordinated(norm: str, lang: str, catalog) -> list[Operand]:
    """'淮安市2024年予以公开和部分公开的申请一共…' -> the question about 予以公开 and the one about 部分公开."""
    if lang == "en":
        return _coordinated_en(norm)
    # the segmenter may glue a conjunction to its neighbours ("公开栏和村公示栏" -> 栏和村): cut it out again
    tokens = [p for t in base_segmenter().cut(norm)
              for p in ((t[0], t[1], t[2]) if len(t) == 3 and t[1] in "和与及" and t != "共和国" else (t,))]
    places = catalog.place_cores
    for k, tok in enumerate(tokens):
        if tok not in _CONJ_ZH or k == 0:
            continue
        left = _conjunct(tokens[k - 1 :: -1], places)[::-1]
        parts, j = [left], k
        while j < len(tokens) and tokens[j] in _CONJ_ZH:  # a list: "社会救助、社会组织、慈善组织和行政审批"
            right = _conjunct(tokens[j + 1 :], places)
            if not right:
                break
            parts.append(right)
            j += 1 + len(right)
        if not left or len(parts) < 2:
            continue
        before, after = "".join(tokens[: k - len(left)]), _drop_totals("".join(tokens[j:]))
        return [Operand(before + "".join(part) + after, label="".join(part)) for part in parts]
    return []


def _conjunct(tokens: list[str], places) -> list[str]:
    out = []
    for tok in tokens[:_MAX_CONJUNCT]:
        if (
            tok in _STOP_ZH
            or tok in _CONJ_ZH
            or re.fullmatch(r"[\d.]+|年|\s+|[这那]\S*|[两二三四五六七八九几]+[个项类者家]?", tok)  # "这四个" counts them
            or any(p in tok for p in places if len(p) >= 2)
        ):
            break
        out.append(tok)
    return out


def _drop_totals(text: str) -> str:
    """'两项共发放资金多少' -> '发放资金多少': the words that ask for the total, not for one operand."""
    text = re.sub(r"^(?:这|那)?[两二三四五六七八九几]+(?:个|项|类|者|家)", "", text)  # "这四个重点领域…"
    text = re.sub(r"^(两项|两者|二者|两类|分别)?共?", "", text)
    return re.sub(r"(两项|两者|二者|两类)?(一共|合计|总共|共计|加起来)", "", text)


def _coordinated_en(norm: str) -> list[Operand]:
    """'lawsuits in total (direct plus after reconsideration)' -> one question per conjunct."""
    for m in _CONJ_EN.finditer(norm):
        left = re.findall(r"[\w&'-]+", norm[: m.start()])
        right_words = re.findall(r"[\w&'-]+|[^\w\s]", norm[m.end() :])
        lw = []
        for w in reversed(left[-_MAX_CONJUNCT:]):
            if w.lower() in _STOP_EN or not w.isalpha():
                break
            lw.insert(0, w)
        rw = []
        for w in right_words[:_MAX_CONJUNCT]:
            if w.lower() in _STOP_EN or not w.replace("-", "").isalpha():
                break
            rw.append(w)
        if not lw or not rw:
            continue
        head = norm[: m.start()].rsplit(lw[0], 1)[0]
        tail = norm[m.end() :].split(rw[-1], 1)[1]
        tail = re.sub(r"^\s*\)?", "", tail) if head.rstrip().endswith("(") else tail
        head = re.sub(r"\(\s*$", "", head)
        head = re.sub(r"\b(in total|altogether|combined|together)\b", "", head)
        return [
            Operand(re.sub(r"\s+", " ", f"{head}{' '.join(part)}{tail}").strip(), label=" ".join(part))
            for part in (lw, rw)
        ]
    return []


# ------------------------------------------------------------------ operands of a share
# "受理的申请里自然人申请占多少比例": the whole before 里/中, the part between it and 占
_SHARE_ZH = re.compile(
    r"^(?P<scope>.*?(?:\d{4}年|年度|年))?(?P<whole>[^，,。？?]{2,20}?)(?:里|中|当中|之中)[，,]?(?:的)?"
    r"(?P<part>[^，,。？?]{2,20}?)(?:占|所占|的?(?:比例|比重|百分比|占比))"
)
# the part before its whole: "宿迁市2024年不予公开的申请占全部申请的比例是多少"
_PART_OF_WHOLE_ZH = re.compile(
    r"^(?P<scope>.*?(?:\d{4}年|年度|年))?(?P<part>[^，,。？?占]{2,20}?)(?:占|所占)(?P<whole>[^，,。？?的]{2,20}?)的?"
    r"(?:比例|比重|百分比|百分之几|多少|几)"
)
# "what share of Huai'an's new requests in 2024 came from individuals"
_SHARE_EN = re.compile(
    r"what (?:share|percentage|proportion|fraction|percent) of (?P<whole>.+?) "
    r"(?P<verb>came from|were from|ended as|ended with|ended in|ended up|resulted in|were|was|went to|had|did|are|is) "
    r"(?P<part>.+?)\??$",
    re.I,
)
# the whole first: "of all the applications X handled in 2024, what percentage were fully disclosed"
_OF_WHOLE_EN = re.compile(
    r"\bof (?:all )?(?:the )?(?P<whole>[^,?]+?), (?:what|which) (?:share|percentage|proportion|fraction|percent) "
    r"(?P<verb>were|was|came from|ended as|ended with|got) (?P<part>.+?)\??$",
    re.I,
)


def _whole_and_part(norm: str, lang: str) -> list[Operand]:
    """The whole first, then the part: share = part ÷ whole."""
    if lang == "en":
        m = _SHARE_EN.search(norm) or _OF_WHOLE_EN.search(norm)
        if not m:
            return []
        whole = f"How many {m['whole']}?"
        return [
            Operand(whole, label=m["whole"]),
            Operand(f"How many {m['whole']} {m['verb']} {m['part']}?", label=m["part"]),
        ]
    m = _SHARE_ZH.search(norm) or _PART_OF_WHOLE_ZH.search(norm)
    if not m:
        return []
    scope, whole, part = m["scope"] or "", m["whole"], m["part"]
    # a part that does not name the whole's head noun ("自然人提的" of "新收的申请") is a clause about it: its question
    # keeps the whole's words; one that does ("自然人申请") stands alone
    if whole[-2:] not in part:
        part = f"{whole}中{part}"
    return [
        Operand(f"{scope}{whole}有多少", label=whole),
        Operand(f"{scope}{part}有多少", label=m["part"]),
    ]


# ------------------------------------------------------------------ operands of a complement
# "besides X, Y and Z items, how many other items…", "…how many other items, except X?"
_BESIDES_EN = re.compile(r"\b(?:besides|other than|except(?: for)?|excluding|apart from|aside from) (?P<list>[^,?]+)", re.I)
# "…, how many were not about major construction projects?"
_NOT_ABOUT_EN = re.compile(r"\b(?P<verb>were|was|are|is) not (?P<rel>about|on|for|from)\b", re.I)
_OTHER_EN = re.compile(r"\b(?:other|else|remaining|more)\b ?", re.I)
_BESIDES_ZH = re.compile(r"除了?(?P<list>[^，,。？?]{1,16}?)(?:以外|之外)[，,]?")
# the complement said without 除, its list the clause before 以外: "…里，规范性文件以外的各类政策文件有多少件"
_BESIDES_BARE_ZH = re.compile(r"(?:^|(?<=[，,。？?\s]))(?P<list>[^，,。？?除\s]{2,12}?)(?:以外|之外)的?")
_NOT_OF_ZH = re.compile(r"不属于")
_OTHER_ZH = re.compile(r"其他|其它|其余|另外|还有?")
_LIST_SPLIT = re.compile(r"\s*(?:,|，|、|\band\b|\bor\b|和|与|及|以及)\s*", re.I)


def _complement(info: QueryInfo) -> list[Operand]:
    """The whole first, then each part it leaves out: remainder = whole − parts."""
    if info.lang == "en":
        return _complement_en(re.sub(r"\s+", " ", info.text).strip())
    norm = info.norm
    m = _BESIDES_ZH.search(norm) or _BESIDES_BARE_ZH.search(norm)
    if m:
        before, after = norm[: m.start()], _OTHER_ZH.sub("", norm[m.end():], count=1)
        items = [x for x in _LIST_SPLIT.split(m["list"]) if x]
        return [Operand(before + after, label="总数")] + [Operand(before + x + after, label=x) for x in items]
    m = _NOT_OF_ZH.search(norm)
    if m:  # "…不属于X的有多少": the whole without the clause, the part with it affirmed
        whole = re.sub(r"不属于[^，,。？?的]{1,16}的?", "", norm)
        part = re.search(r"不属于([^，,。？?的]{1,16})", norm)[1]
        return [Operand(whole, label="总数"), Operand(norm[: m.start()] + "属于" + norm[m.end():], label=part)]
    return []


def _complement_en(text: str) -> list[Operand]:
    m, how = _BESIDES_EN.search(text), re.search(r"\bhow (?:many|much)\b", text, re.I)
    if m and how:
        # the list runs to the question ("besides A, B and C items, how many…") or to its end ("…, except A?")
        end = how.start() if m.start() < how.start() else len(text)
        listed = text[m.start("list"): end].strip(" ,?")
        whole = _OTHER_EN.sub("", (text[: m.start()] + text[end:]).strip(" ,"), count=1)
        whole = whole[0].upper() + whole[1:] if whole else whole
        items = [x for x in _LIST_SPLIT.split(listed) if x and x.lower() not in ("the", "a")]
        if end == len(text):  # "…other than those from individuals": each part said after the question
            items = [re.sub(r"^(?:those|the ones|ones)\s+", "", x, flags=re.I) for x in items]
            parts = [f"{whole.rstrip(' ?')} {x}?" for x in items]
        else:
            at = re.search(r"\bhow (?:many|much) ", whole, re.I).end()
            parts = [whole[:at] + _without_words_of(x, whole[at:]) + " " + whole[at:] for x in items]
        return [Operand(whole, label="in all")] + [Operand(p, label=x) for p, x in zip(parts, items)]
    m = _NOT_ABOUT_EN.search(text)
    if m:
        end = re.search(r"[,?]|$", text[m.end():]).start() + m.end()
        whole = (text[: m.start()] + text[end:]).replace(" ?", "?")
        part = text[: m.start()] + f"{m['verb']} {m['rel']}" + text[m.end():]
        return [Operand(whole, label="in all"), Operand(part, label=text[m.end(): end].strip())]
    return []


def _without_words_of(item: str, rest: str) -> str:
    """A listed item without the noun the whole already says ("major-project items" before "items subject to …")."""
    head = rest.split(" ", 1)[0].lower()
    words = item.split(" ")
    return " ".join(words[:-1]) if len(words) > 1 and words[-1].lower() == head else item

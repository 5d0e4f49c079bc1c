"""What a question asks about: groups of alternative Chinese terms (concepts), weighed, and their coverage of a text."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import jieba
import jieba.posseg as pseg

from bot.answer.pinyin import spelled_in
from bot.answer.table import ROW_TERMS, named_row_terms
from bot.retrieve import GLOSSARY, QueryInfo
from bot.retrieve.english import Rendered, content_words, render
from bot.retrieve.lexicon import renderings, soft_word
from bot.retrieve.query import body_acronyms, is_pinyin_word, own_name, same_body
from bot.store.lexical import PLACE_LEVELS
from bot.store.lexical import words as base_words
from bot.text import CJK_RUN, normalize, says

# Words that say nothing about what is counted; they never make a clause relevant on their own.
GENERIC = frozenset("政府 信息 政府信息 公开 工作 情况 年度 报告 年报 本年 全年 共 累计 我局 本局 市 县 区 镇 局 全市 全县 "
                     "数量 多少 总数 主动 有关 相关 各类 各项 进行 开展 其中 办理 方面 类别 方式 材料 文章 原文 全文 收到 接到".split())
_QUESTION_WORDS = frozenset("有没有 是否 有无 多少 哪些 什么 怎么 如何 哪天 哪一天 是多少 为多少 了吗 是谁 谁 何时 几月 "
                            "我想知道 想知道 知道 想了解 了解 告诉 告诉我 一下 "
                            "哪个 哪里 多大 总共 一共 请问 大约 大概 约 左右 将近 差不多 估计 从 超过 多于 以上 起来 加起来 达到 突破 "
                            "或者 或是 还是 以及 及其 因为 由于 通过 那份 那篇 这份 百分之 百分比 百分之几 关于 对于".split())
_ASKS_HOW_MANY = re.compile(r"^(?:几|多少)[\u4e00-\u9fff]?$")  # "几条", "多少件": the question's own measure


_GENERIC_HEADS = frozenset(w[0] for w in GENERIC if len(w) > 1)  # 政 of 政府, 公 of 公开: they start every other word


# an interrogative or demonstrative word the segmenter kept whole (哪一年, 几月份, 什么时候, 那篇里, 这份报告里), or
# the count of the asked thing named by its measure word (条数, 件数: the figure itself, not what it counts)
_ASKING_WORD = re.compile(r"^(?:哪|几|何)|多少|什么|^(?:那|这)(?:篇|份|个|些)|^[条件次个项人户]数$")


def _question_word(term: str) -> bool:
    return term in _QUESTION_WORDS or bool(_ASKS_HOW_MANY.match(term) or _ASKING_WORD.search(term))


_CN_HEAD_STRIP = re.compile(r"^(了|有|是|共|共计|累计|全年|全市|总共|一共|在|对|为|的)+|(了|有|是|的|呢|吗|\?|？)+$")
_EN_HEAD = re.compile(r"how (?:many|much) ([a-z' -]+?)(?= (?:did|does|do|were|was|is|are|has|have|had|in|for|across|by|at|on|of)\b|[?,.]|$)")
_EN_PREP = re.compile(r"\b(for|of|on|about|from|to|in)\b.*$")

# English words naming units: they constrain the unit of the figure, they are not terms to find.
_UNIT_WORDS = {"items": ("条", "项", "个", "件"), "item": ("条", "项", "个", "件"), "pieces": ("条", "项", "个", "件"),
               "piece": ("条", "项", "个", "件"), "households": ("户",),
               "household": ("户",), "people": ("人", "人次", "名"), "persons": ("人", "人次", "名"),
               "person-times": ("人次",), "yuan": ("元", "万元", "亿元"), "percent": ("%",),
               "rate": ("%",), "percentage": ("%",), "share": ("%",), "proportion": ("%",), "staff": ("人", "名"), "employees": ("人", "名")}
_SOFT_VERBS = frozenset("receive received get got accept accepted handle handled processed publish published release "
                        "released allocated collect collected identify identified issued answered replied make made "
                        "hold held operate operated produce produced".split())


@dataclass
class Concept:
    alternatives: tuple[str, ...]
    weight: float
    head: bool = False
    rendered: bool = False  # a dictionary rendering of an English word: the report may use another word
    partial: tuple[str, ...] = ()  # the head piece of a compound ("申请" of "公开申请"): half credit, satisfies the head


def _idf(term: str, retriever) -> float:
    """Rarer words weigh more; derived from the lexical index, so it follows the corpus.
    A word no report uses is the asker's paraphrase ("引起" for "提起"): it can match nothing, so it weighs little."""
    if retriever is None:
        return 1.0
    df = retriever.term_df(term)
    if df == 0:
        return 0.3
    n = max(len(retriever.data.chunks), 1)
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


@dataclass
class _Asked:
    """What concepts() gathers before weighing: term groups (alternatives, is-head), soft terms, units, and the
    English words only a dictionary renders (or nothing does)."""

    groups: list = field(default_factory=list)
    soft: set = field(default_factory=set)
    units: tuple = ()
    rendered: list = field(default_factory=list)
    unmapped: list = field(default_factory=list)
    partial: dict = field(default_factory=dict)  # alternatives -> their head pieces


def concepts(info: QueryInfo, retriever=None) -> tuple[list[Concept], tuple[str, ...]]:
    """What the question asks about, as groups of alternative Chinese terms, plus unit constraints."""
    # the index's own segmenter keeps its body names whole ("咸宁市民政局" is one name, not a topic word)
    words = retriever.data.segmenter.words if retriever is not None else base_words
    # place names are handled by the scope, not by matching words (a follow-up may carry another place's name)
    place_terms = retriever.catalog.place_cores if retriever else frozenset()
    asked = _english_terms(info, words, retriever) if info.lang == "en" else _chinese_terms(info, words, place_terms)
    asked.groups = [g for g in asked.groups if not _names_the_body(g[0], info, retriever)]
    if _AGAINST_LAST_YEAR.search(info.norm):  # the base of a change asked is no word its sentence says ("同比增长")
        asked.groups = [g for g in asked.groups if not set(g[0]) <= _LAST_YEAR]
    # English words no glossary entry renders still say what was asked: they count against coverage (a passage
    # cannot show it covers them), so that a question mostly outside the glossary is not answered from one word;
    # a dictionary rendering may match, softly (the report may say it otherwise); a two-character rendering's first
    # character earns half credit: the dictionary has 原有 / 推出 / 清洁 where a report says 原创 / 推送 / 清理
    dictionary = [Concept(alts, UNMAPPED_WEIGHT * (SOFT_WEIGHT if soft else 1.0), rendered=True,
                          partial=tuple(dict.fromkeys(a[0] for a in alts if len(a) == 2 and a[0] not in _GENERIC_HEADS)))
                  for alts, soft in asked.rendered]
    weighed = _weigh(asked, place_terms, retriever)
    if (dictionary or asked.unmapped) and all(_generic(c) for c in weighed):
        weighed = []  # generic words stand in only when the question says nothing more specific at all ("town": 镇)
    unmapped = [_unmapped(w, info, retriever) for w in asked.unmapped]
    return weighed + dictionary + unmapped, asked.units


# a change against the year before asked: "比上一年多了百分之多少", "how much higher than the previous year"
_AGAINST_LAST_YEAR = re.compile(r"[比较](?:上一?年|去年|前一年)|同比|\b(?:than|compared (?:with|to)|over|from) (?:the )?"
                                r"(?:previous|last|prior|preceding) year\b|\byear[- ](?:on|over)[- ]year\b", re.I)
_LAST_YEAR = frozenset(("上一年", "一年", "去年", "上年", "前一年", "上年结转", "同比"))


def _unmapped(word: str, info: QueryInfo, retriever) -> Concept:
    """An English word no glossary or dictionary renders: the asked reports' words it spells in pinyin ("Douyin"
    -> 抖音), else a word no passage can show it covers."""
    weight = UNMAPPED_WEIGHT * (SOFT_WEIGHT if soft_word(word) else 1.0)
    if retriever is not None and info.doc_ids and is_pinyin_word(word.lower()):
        spelled = spelled_in(word, [retriever.docs[d].text for d in info.doc_ids if d in retriever.docs])
        if spelled:
            return Concept(spelled[:3], weight, rendered=True)
    return Concept((f"\x00{word}",), weight)


def _generic(c: Concept) -> bool:
    return not c.head and all(is_generic(a) for a in c.alternatives)


def is_generic(term: str) -> bool:
    """The genre's own words, and "all kinds of X" (各种渠道, 各类信息, 所有申请): they total, they do not qualify."""
    return term in GENERIC or (len(term) >= 3 and term.startswith(("各", "所有")))


def _names_the_body(alts: tuple[str, ...], info: QueryInfo, retriever) -> bool:
    """A word of the asked report's issuing body ("民政局" of 牡丹江市民政局) names the report, which the scope
    has chosen; it is no word the answering sentence needs."""
    catalog = retriever.catalog if retriever is not None else None
    names = catalog.body_names if catalog is not None else {}
    bodies = [normalize(names[d]) for d in info.doc_ids if d in names]
    own = [re.sub(r"\s+", "", own_name(d, catalog)) for d in info.doc_ids if d in names]
    own += [_without_place(names[d], catalog.regions.get(d, ())) for d in info.doc_ids if d in names]
    # shortened too: "发改局" of 发展和改革局
    return bool(bodies) and all(len(a) >= 2 and (any(a in b for b in bodies) or any(len(a) >= 3 and same_body(a, o)
                                                                               for o in own)) for a in alts)


def _without_place(name: str, regions: tuple[str, ...]) -> str:
    """"黑龙江省人民防空办公室" -> "人民防空办公室": what a short name ("人防办") abbreviates."""
    for core in regions:
        name = name.replace(core, "")
    return name.lstrip("省市县区州")


def _english_head(low: str) -> list[str]:
    """The words of the counted noun phrase: "how many people received …" -> people."""
    m = _EN_HEAD.search(low)
    if not m:
        return []
    head_words = _EN_PREP.sub("", m.group(1)).split()
    # the counted noun phrase ends where the verb begins ("people received temporary assistance")
    verb = next((k for k, w in enumerate(head_words) if w in _SOFT_VERBS or w.endswith("ed")), None)
    head_words = head_words[:verb] if verb else head_words
    if head_words and all(w in _UNIT_WORDS for w in head_words):
        # "items of government information": the unit comes first, the counted thing after "of"
        rest = re.match(r".*?\bof ([a-z' -]+)", m.group(1))
        head_words += rest.group(1).split() if rest else []
    return head_words


_OFFICE_NOUNS = frozenset("office bureau commission department administration committee government center centre "
                          "agency".split())
_EN_WORD = re.compile(r"[a-z][a-z-]*(?:'s)?")


def _body_in_english(low: str, info: QueryInfo, retriever) -> str:
    """The asked body's name spelled in English ("the Heilongjiang Provincial Civil Air Defense Office" of
    黑龙江省人民防空办公室) cut out: each word up to its office noun shares a character with the name, so it names
    the report (the scope's business), not what is asked."""
    names = [retriever.catalog.body_names.get(d, "") for d in info.doc_ids] if retriever is not None else []
    chars = set("".join(names))
    if not chars:
        return low
    places = frozenset(retriever.catalog.pinyin.values())

    def names_it(w: str) -> bool:
        w = w.removesuffix("'s")
        said = GLOSSARY.get(w, ()) + renderings(w)
        return w in places or any(set(t) & chars for t in said)

    tokens = list(_EN_WORD.finditer(low))
    cut = []
    for i, m in enumerate(tokens):
        if m.group().removesuffix("'s").rstrip("s") not in _OFFICE_NOUNS or not names_it(m.group()):
            continue
        j = i
        while j > 0 and names_it(tokens[j - 1].group()):
            j -= 1
        if j < i:
            cut = [(a, b) for a, b in cut if a < tokens[j].start()] + [(tokens[j].start(), m.end())]
    for start, end in sorted(cut, reverse=True):  # (cuts of one name nest: "…government service center")
        low = low[:start] + " " + low[end:]
    return low


_OTHER_COUNTED = re.compile(r"\b(?:how many|number of) other\b")
# a level word after a name is part of the name: "Xixia township", "Yongjia County" (the scope's business)
_NAMED_LEVEL = re.compile(r"\b[A-Z][\w'’-]*\s+((?i:county|city|district|town|township|province|village))\b")


def _levels_of_names(text: str, low: str) -> set[str]:
    """The level words the question says only after a name ("how many townships…" asks about townships)."""
    named = [m.group(1).lower() for m in _NAMED_LEVEL.finditer(text)]
    return {w for w in named if named.count(w) == len(re.findall(rf"\b{w}\b", low))}


def _pieces(alts: tuple[str, ...]) -> tuple[str, ...]:
    """The words inside a long glossary term ("新闻发布会" -> 新闻, 发布会): half credit where a report says it shorter
    ("召开新闻发布", "领导解读" for 政策解读)."""
    inner = [p for a in alts if len(a) >= 4 for p in jieba.cut_for_search(a) if len(p) >= 2 and p != a]
    return tuple(dict.fromkeys(p for p in inner if p not in GENERIC and not any(p in b for b in alts if len(b) < 4)))


def _english_terms(info: QueryInfo, words, retriever) -> _Asked:
    asked = _Asked()
    low = _body_in_english(info.norm.lower(), info, retriever)
    head_words = _english_head(low)
    for w in head_words:
        if w in _UNIT_WORDS:
            asked.units += _UNIT_WORDS[w]
    # the counted noun is the phrase's last word: a glossed word before it ("online" of "online messages") only
    # qualifies it
    nouns = [w for w in head_words if w not in _UNIT_WORDS]
    # (its glossary phrase may be two or three words: "work orders" -> 工单)
    last = next(([" ".join(nouns[-k:])] for k in (3, 2) if len(nouns) >= k and " ".join(nouns[-k:]) in GLOSSARY),
                nouns[-1:])
    head_terms = [GLOSSARY[w] for w in last if w in GLOSSARY]
    named = _levels_of_names(info.text, low)
    for w in named:
        low = re.sub(rf"\b{w}\b", " ", low)
    for phrase in sorted(GLOSSARY, key=len, reverse=True):
        if phrase in _UNIT_WORDS and set(GLOSSARY[phrase]) <= set(_UNIT_WORDS[phrase]):
            continue  # "items" -> 条/项 constrains the unit; it is no word to look for
        pattern = r"\b" + re.escape(phrase).replace(r"\ ", "[ -]") + r"\b"  # "in person" in "in-person"
        if re.search(pattern, low):
            alts = GLOSSARY[phrase]
            asked.soft.update(alts) if phrase in _SOFT_VERBS else None
            asked.groups.append((alts, bool(head_terms) and alts == head_terms[-1]))
            pieces = _pieces(alts)
            if pieces:
                asked.partial[alts] = pieces
            low = re.sub(pattern, " ", low)
    asked.groups += [((t,), False) for t in words(info.norm)]
    if _OTHER_COUNTED.search(low):  # "how many other pieces of information": the report's 其他 (其他信息2167条)
        asked.groups.append((("其他",), True))
    rendered = _rendered(low, retriever, info)
    asked.rendered, asked.unmapped = rendered.groups, rendered.unmapped
    return asked


def _chinese_terms(info: QueryInfo, words, place_terms) -> _Asked:
    asked = _Asked()
    text = re.sub(r"(19|20)\d\d年?", " ", info.norm)
    m = re.search(r"(多少|几)([件条个次人户项家名元万亿类笔份批场篇期]*)", text)
    # a verb's aspect particle is no part of what is asked: "发了" asks 发, "收过费" asks 收费
    tokens, glued = _glued_nouns([_INFIX_ASPECT.sub(r"\1", _ASPECT.sub("", t)) for t in words(text)], text)
    asked.groups = [(_synonyms(w), False) for w in tokens]
    asked.partial.update({(w,): (w[1:],) for w in glued})  # the noun without its level half matches
    if info.qtype == "yesno":
        _predicate_is_head(asked)
    elif m:
        asked.soft.update(_relative_verbs(text))  # (a count: "…有多少是当面提交的"; "通过什么方式提交的" asks the verb)
    rows = _named_rows(text)
    if rows:  # a template row named in the asker's words ("全部给公开"): the report writes the row's own term
        asked.groups.insert(0, (rows, True))
        return asked
    if m:
        after = _CN_HEAD_STRIP.sub("", text[m.end():].strip(" ?？"))
        clauses = re.split(r"[,，。;；]", text[:m.start()])
        before = _CN_HEAD_STRIP.sub("", clauses[-1].strip())
        if _ELIDED.search(clauses[-1]) and len(clauses) > 1:
            # "…申请里，当面提交的有多少件": the counted noun is the one the clause before names (申请)
            before = _CN_HEAD_STRIP.sub("", re.sub(r"(里|裡|中|当中|之中)$", "", clauses[-2].strip()))
        # "…申请中有多少是当面提交的": what follows is a relative clause, its noun the one before 多少
        relative = bool(re.search(r"的\s*$", text[m.end():].strip(" ?？")))
        if relative:
            before = re.sub(r"(?:里|裡|中|当中|之中)?(?:有|共有)?$", "", before)
        seg = after if len(re.findall(r"[\u4e00-\u9fff]", after)) >= 2 and not relative else before
        head_tokens = _head_tokens(seg, words, place_terms)
        if head_tokens:
            # the counted noun comes last in Chinese noun phrases; require one of its words
            head = tuple(dict.fromkeys(a for t in head_tokens for a in _synonyms(t)))
            asked.groups.insert(0, (head, True))
            asked.partial[head] = _head_piece(head_tokens[-1])
        if m.group(2):
            asked.units += (m.group(2),)
    return asked


SOFT_WEIGHT = 0.4  # an English verb or adverb: it has many Chinese renderings, and the report may use another
UNMAPPED_WEIGHT = 1.0  # like an average word: a question mostly outside the glossary stays below MIN_COVERAGE


def _spelled_in_chinese(text: str) -> frozenset[str]:
    """Pinyin words the question writes beside their characters ("Yangguang Lizheng (阳光理政)"): the characters
    say what they do, so they are no words left unmatched."""
    runs = re.findall(r"[\u4e00-\u9fff]{2,}", text)
    if not runs:
        return frozenset()
    from pypinyin import lazy_pinyin  # only for English questions quoting Chinese

    spelled = " ".join("".join(lazy_pinyin(r)) for r in runs)
    return frozenset(w for w in re.findall(r"[a-z]{4,}", text.lower()) if w in spelled)


# a body named in English ("the Hebei HRSS department"): its noun, singular, says which report, not what is asked
_BODY_NOUNS = frozenset({"department", "commission", "administration"})


def _rendered(rest: str, retriever, info: QueryInfo) -> Rendered:
    """The English words the glossary left (no place name, no unit word, no body's acronym), rendered as the asked
    reports say them."""
    if retriever is None:
        return render(content_words(rest, frozenset(_UNIT_WORDS) | _BODY_NOUNS), lambda t: True)
    names = retriever.catalog.body_names
    bodies = " ".join(names[d] for d in info.doc_ids if d in names) or " ".join(names.values())  # the asked reports'
    skip = (frozenset(retriever.catalog.pinyin.values()) | frozenset(_UNIT_WORDS) | _BODY_NOUNS
            | body_acronyms(info.text, retriever.catalog) | _spelled_in_chinese(info.text))
    return render(content_words(rest, skip), lambda t: retriever.term_df(t) > 0, bodies)


# the template's terms in the asker's words: being sued is table 四's 行政诉讼 ("被告了几次", "打官司"); the channels
# of the pre-2019 template's applications (当面, 网络, 信函, 传真) as people say them ("网上提交的")
_TEMPLATE_SYNONYMS = {"被告": ("被告", "行政诉讼", "诉讼"), "官司": ("官司", "行政诉讼", "诉讼"),
                  "起诉": ("起诉", "行政诉讼", "诉讼"),
                  "网上": ("网上", "网络", "互联网"), "网络": ("网络", "网上", "互联网"), "互联网": ("互联网", "网络", "网上"),
                  "在线": ("在线", "网上", "网络"), "现场": ("现场", "当面"), "当面": ("当面", "现场"),
                  "邮寄": ("邮寄", "信函"), "寄信": ("寄信", "信函"), "来信": ("来信", "信函"),
                  "费用": ("费用", "收费"), "收钱": ("收钱", "收费"),  # the template's 收费及减免情况
                  "公布": ("公布", "公开", "发布"), "对外公布": ("对外公布", "公开", "发布")}  # (公布 is to disclose)
_LEVEL_LI = re.compile(r"^([省市县区镇乡村])[里裡]$")  # "省里给了多少": the province's share (省拨资金, 省级)


def _synonyms(word: str) -> tuple[str, ...]:
    m = _LEVEL_LI.match(word)
    return (m.group(1), m.group(1) + "级") if m else _TEMPLATE_SYNONYMS.get(word, (word,))


_ASPECT = re.compile(r"(?<=[\u4e00-\u9fff])[了过着]$")  # "发了" -> 发, "收过" -> 收
_ELIDED = re.compile(r"的(?:有|是|共有|一共有)?\s*$")  # "…提交的有多少件": a relative clause, its noun left out
_INFIX_ASPECT = re.compile(r"^([\u4e00-\u9fff])[了过着](?=[\u4e00-\u9fff]$)")  # "收过费" -> 收费


# a relative clause's verb at its end, its noun left out: "…有多少是当面提交的", "…当面到现场提交的有多少件"
_RELATIVE_END = re.compile(r"([\u4e00-\u9fff]{2})的(?:有|是|呢)?(?:多少|几)?[件个条项份次]?\s*[？?]?\s*$|"
                           r"([\u4e00-\u9fff]{2})的(?:有|是|共有)(?:多少|几)")


def _glued_nouns(tokens: list[str], text: str) -> tuple[list[str], list[str]]:
    """A level the segmenter cut off its noun ("村" + "公示栏" of "在村公示栏") is put back on it: the level is what
    tells the village's board from the township's. The tokens, and those that got their level back."""
    out, glued, cursor = [], [], 0
    for t in tokens:
        at = text.find(t, cursor)
        cursor = at + len(t) if at >= 0 else cursor
        # the level stands alone before the noun: "在村公示栏", not the end of a name ("洪泽区政府"); it names which
        # board ("村公示栏" against "乡政务公开公示栏")
        if at >= 1 and text[at - 1] in PLACE_LEVELS and (at == 1 or text[at - 2] in _BEFORE_LEVEL):
            t = text[at - 1] + t
            glued.append(t)
        out.append(t)
    return out, glued


_BEFORE_LEVEL = frozenset("在于到向从对的和与及、，, ")


def _relative_verbs(text: str) -> set[str]:
    """The verb that ends a relative clause whose noun the question leaves out (提交 of "当面提交的"): one of many verbs
    for what was done with the noun (提交, 提出, 递交), so a report may say another."""
    verbs = set()
    for m in _RELATIVE_END.finditer(text):
        word = m.group(1) or m.group(2)
        if all(p.flag.startswith("v") for p in pseg.cut(word)):
            verbs.add(word)
    return verbs


def _predicate_is_head(asked: _Asked) -> None:
    """A yes/no question asks whether its last content word holds ("…申请收过费吗": 收费): a sentence that does not
    name it cannot say yes or no."""
    for k in range(len(asked.groups) - 1, -1, -1):
        alts, _ = asked.groups[k]
        if len(alts[0]) >= 2 and alts[0] not in GENERIC and not _question_word(alts[0]):
            asked.groups[k] = (alts, True)
            asked.partial[alts] = _head_piece(alts[0])
            return


def _named_rows(text: str) -> tuple[str, ...]:
    """The own terms of the one specific template row a Chinese question names (予以公开 for "全部给公开"), with its
    Chinese synonyms; () when it names none, only the generic ones (收到, 办理), or several."""
    named = named_row_terms(text) - {"本年新收", "办理结果总计"}
    if len(named) != 1:
        return ()
    term = next(iter(named))
    return tuple(dict.fromkeys([term] + [w for w in ROW_TERMS[term] if not w.isascii() and len(w) >= 2]))


_LISTED = re.compile(r"[、，,]|[\u4e00-\u9fff](?:和|与|及|以及)[\u4e00-\u9fff]")  # "A、B和C"
_COUNTING = re.compile(r"(?:数量|总数|总量|数目|数|个数|件数|条数|次数)?")  # "申请的数量": the count of what comes before


def _head_tokens(seg: str, words, place_terms) -> list[str]:
    """The counted noun: in "X的Y" it is in Y ("政务新媒体的粉丝总数": 粉丝, not 新媒体), and a Chinese noun
    phrase ends with its head ("政府信息公开专项经费": 专项经费); generic words are skipped."""
    def content(part: str) -> list[str]:
        return [t for t in words(part) if len(t) >= 2 and t not in GENERIC and t not in place_terms
                and not any(p in t for p in place_terms)]

    if "的" not in seg:
        return content(seg)[-1:]
    owner, noun = seg.rsplit("的", 1)
    if not content(noun) and not _COUNTING.fullmatch(noun.strip()) and _LISTED.search(owner):
        return []  # "机构设置、职能和办事流程的信息": the genre's noun qualified by a list, no one item of it the head
    return (content(noun) or content(seg))[-1:]


def _head_piece(word: str) -> tuple[str, ...]:
    """A compound's head is its last piece ("公开申请": 申请): a report may write the head with another qualifier
    ("传真申请12件"), which half matches."""
    last = [p for p in jieba.cut_for_search(word) if len(p) >= 2 and p != word][-1:]
    return tuple(p for p in last if word.endswith(p) and p not in GENERIC)


def _in_reports(alts: tuple[str, ...], retriever) -> tuple[str, ...]:
    """A Chinese word no report uses is often a report's word with the asker's verb or measure around it
    ("发传真" for 传真, "原创短视频" for 短视频): add its longest pieces of two or more characters that reports use."""
    if retriever is None or any(retriever.term_df(a) for a in alts):
        return alts
    pieces: list[str] = []
    for a in alts:
        for size in range(len(a) - 1, 1, -1):
            found = [a[i:i + size] for i in range(len(a) - size + 1)
                     if CJK_RUN.fullmatch(a[i:i + size]) and retriever.term_df(a[i:i + size])]
            if found:
                pieces += [p for p in found if p not in GENERIC and not _question_word(p)]
                break
    return alts + tuple(dict.fromkeys(pieces))


def _unsaid_verb(alts: tuple[str, ...], retriever) -> bool:
    return not any(retriever.term_df(a) for a in alts) and all(p.flag.startswith("v") for p in pseg.cut(alts[0]))


def _weigh(asked: _Asked, place_terms, retriever) -> list[Concept]:
    """Concepts with IDF weights; place names and question words dropped; generic ones only as a fallback."""
    specific: list[Concept] = []
    generic: list[Concept] = []
    seen: set[tuple[str, ...]] = set()
    soft = asked.soft
    for alts, head in asked.groups:
        partial = asked.partial.get(alts, ())
        alts = tuple(normalize(a) for a in alts)
        if alts in seen or all(a in place_terms or any(p in a for p in place_terms) or _question_word(a)
                               for a in alts):
            continue
        seen.add(alts)
        alts = _in_reports(alts, retriever)
        weight = max(_idf(a, retriever) for a in alts) if retriever else 1.0
        if head and retriever is not None and _unsaid_verb(alts + partial, retriever):
            head = False  # a verb taken for the head ("分成" of "分成了几类") that no report says cannot be required
        if set(alts) <= soft and not head:
            weight *= SOFT_WEIGHT  # an English verb has many Chinese renderings; the report may use another
        concept = Concept(alts, weight, head, partial=partial)
        (generic if _generic(concept) else specific).append(concept)
    # generic words matter only when the question has nothing more specific ("公开各类政府信息多少条")
    return specific or generic


PARTIAL_CREDIT = 0.5


def coverage(norm: str, cs: list[Concept]) -> tuple[float, bool]:
    total = sum(c.weight for c in cs) or 1.0
    got = sum(c.weight if any(says(norm, a) for a in c.alternatives) else
              PARTIAL_CREDIT * c.weight if any(p in norm for p in c.partial) else 0.0 for c in cs)
    head_ok = all(any(says(norm, a) for a in c.alternatives + c.partial) for c in cs if c.head)
    return got / total, head_ok

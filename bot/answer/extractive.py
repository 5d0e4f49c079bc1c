"""Extractive answerer: pick the evidence sentence, bind the asked-about figure, quote and cite it."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

import jieba
import jieba.posseg as pseg

from bot.answer.compose import (
    cannot_combine,
    english_sentence,
    filter_conflict,
    fmt_citation,
    help_message,
    not_stated,
    scope_message,
)
from bot.answer.contact import contact_field
from bot.answer.intent import (
    COUNT,
    DATE,
    FREE,
    MONEY,
    PERCENT,
    PERSON,
    PHONE,
    YEAR,
    YESNO,
    Intent,
    intent,
    is_noise,
    is_vague,
)
from bot.answer.numbers import UNITS, Quantity, extract_quantities, is_list_mark
from bot.answer.semantic import MAX_CLAUSES, similarities
from bot.answer.signature import REPORT_DATE, signature_span
from bot.answer.table import ROW_TERMS, named_row_terms, row_fit, row_label
from bot.chunk import split_sentences
from bot.facts.template import RUN_ON_HEADERS, T3_COLUMNS
from bot.models import Answer, Citation, Document, Figure
from bot.retrieve import GLOSSARY, QueryInfo, Retrieval
from bot.retrieve.english import Rendered, content_words, render
from bot.retrieve.lexicon import soft_word
from bot.retrieve.query import body_acronyms, own_name, same_body
from bot.retrieve.retriever import names_place, places_in
from bot.store.lexical import words as base_words
from bot.text import CJK_RUN, normalize, says, to_simplified

# Words that say nothing about what is counted; they never make a clause relevant on their own.
_GENERIC = frozenset("政府 信息 政府信息 公开 工作 情况 年度 报告 年报 本年 全年 共 累计 我局 本局 市 县 区 镇 局 全市 全县 "
                     "数量 多少 总数 主动 有关 相关 各类 各项 进行 开展 其中 办理 方面 类别 方式 材料 文章 原文 全文".split())
_QUESTION_WORDS = frozenset("有没有 是否 有无 多少 哪些 什么 怎么 如何 哪天 哪一天 是多少 为多少 了吗 是谁 谁 何时 几月 "
                            "我想知道 想知道 知道 想了解 了解 告诉 告诉我 一下 "
                            "哪个 哪里 多大 总共 一共 请问 大约 大概 约 左右 将近 差不多 估计 从 超过 多于 以上 起来 加起来 达到 突破 "
                            "或者 或是 还是 以及 及其 因为 由于 通过 那份 那篇 这份 百分之 百分比 百分之几 关于 对于".split())
_ASKS_HOW_MANY = re.compile(r"^(?:几|多少)[\u4e00-\u9fff]?$")  # "几条", "多少件": the question's own measure


def _question_word(term: str) -> bool:
    return term in _QUESTION_WORDS or bool(_ASKS_HOW_MANY.match(term))
# clauses: at punctuation (not the colon of a clock time, "16:56"), and at a space after a figure unless its unit follows ("… 12 3 0 16" splits,
# "新闻发布会 12 场" does not)
_CLAUSE_SPLIT = re.compile(rf"[,，;；：、（）()]|(?<!\d):|:(?!\d)|(?<=\d)\s(?!\s*(?:余|多|以上)?\s*(?:{UNITS}))(?=\D)")
_NEGATION = re.compile(r"未|没有|无|不存在|零|均为0|为0|0件|0起|0元")
_PERSON = re.compile(r"([\u4e00-\u9fff]{2,3})(?:同志)")
_CN_HEAD_STRIP = re.compile(r"^(了|有|是|共|共计|累计|全年|全市|总共|一共|在|对|为|的)+|(了|有|是|的|呢|吗|\?|？)+$")
_EN_HEAD = re.compile(r"how (?:many|much) ([a-z' -]+?)(?= (?:did|does|do|were|was|is|are|has|have|had|in|for|across|by|at|on|of)\b|[?,.]|$)")
_EN_PREP = re.compile(r"\b(for|of|on|about|from|to|in)\b.*$")
_TABLE_CELL = re.compile(r"\s*\|\s*")

# English words naming units: they constrain the unit of the figure, they are not terms to find.
_UNIT_WORDS = {"items": ("条", "项", "个", "件"), "item": ("条", "项", "个", "件"), "pieces": ("条", "项", "个", "件"),
               "piece": ("条", "项", "个", "件"), "households": ("户",),
               "household": ("户",), "people": ("人", "人次", "名"), "persons": ("人", "人次", "名"),
               "person-times": ("人次",), "yuan": ("元", "万元", "亿元"), "percent": ("%",),
               "rate": ("%",), "percentage": ("%",), "staff": ("人", "名"), "employees": ("人", "名")}
_SOFT_VERBS = frozenset("receive received get got accept accepted handle handled processed publish published release "
                        "released allocated collect collected identify identified issued answered replied make made "
                        "hold held operate operated produce produced".split())
_YEAR_MONTH = re.compile(r"(?:19|20)\d\d\s*年\s*\d{1,2}\s*月(?:份)?")
_CHANGE = re.compile(r"同比|较上年|比上年|较去年|比去年|增长|增加|下降|减少|提高|降低")


@dataclass
class Sentence:
    doc: Document
    section: str
    start: int
    end: int
    text: str
    norm: str
    rank: int  # rank of its chunk in retrieval
    dense: float


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
    # English words no glossary entry renders still say what was asked: they count against coverage (a passage
    # cannot show it covers them), so that a question mostly outside the glossary is not answered from one word;
    # a dictionary rendering may match, softly (the report may say it otherwise)
    dictionary = [Concept(alts, UNMAPPED_WEIGHT * (SOFT_WEIGHT if soft else 1.0), rendered=True)
                  for alts, soft in asked.rendered]
    weighed = _weigh(asked, place_terms, retriever)
    if (dictionary or asked.unmapped) and all(_generic(c) for c in weighed):
        weighed = []  # generic words stand in only when the question says nothing more specific at all ("town": 镇)
    unmapped = [Concept((f"\x00{w}",), UNMAPPED_WEIGHT * (SOFT_WEIGHT if soft_word(w) else 1.0)) for w in asked.unmapped]
    return weighed + dictionary + unmapped, asked.units


def _generic(c: Concept) -> bool:
    return not c.head and all(_is_generic(a) for a in c.alternatives)


def _is_generic(term: str) -> bool:
    """The genre's own words, and "all kinds of X" (各种渠道, 各类信息, 所有申请): they total, they do not qualify."""
    return term in _GENERIC or (len(term) >= 3 and term.startswith(("各", "所有")))


def _names_the_body(alts: tuple[str, ...], info: QueryInfo, retriever) -> bool:
    """A word of the asked report's issuing body ("民政局" of 牡丹江市民政局) names the report, which the scope
    has chosen; it is no word the answering sentence needs."""
    catalog = retriever.catalog if retriever is not None else None
    names = catalog.body_names if catalog is not None else {}
    bodies = [normalize(names[d]) for d in info.doc_ids if d in names]
    own = [re.sub(r"\s+", "", own_name(d, catalog)) for d in info.doc_ids if d in names]
    # shortened too: "发改局" of 发展和改革局
    return bool(bodies) and all(len(a) >= 2 and (any(a in b for b in bodies) or any(len(a) >= 3 and same_body(a, o)
                                                                               for o in own)) for a in alts)


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


def _english_terms(info: QueryInfo, words, retriever) -> _Asked:
    asked = _Asked()
    low = info.norm.lower()
    head_words = _english_head(low)
    for w in head_words:
        if w in _UNIT_WORDS:
            asked.units += _UNIT_WORDS[w]
    # the counted noun is the phrase's last word: a glossed word before it ("online" of "online messages") only
    # qualifies it
    last = [w for w in head_words if w not in _UNIT_WORDS][-1:]
    head_terms = [GLOSSARY[w] for w in last if w in GLOSSARY]
    for phrase in sorted(GLOSSARY, key=len, reverse=True):
        if phrase in _UNIT_WORDS and set(GLOSSARY[phrase]) <= set(_UNIT_WORDS[phrase]):
            continue  # "items" -> 条/项 constrains the unit; it is no word to look for
        pattern = r"\b" + re.escape(phrase).replace(r"\ ", "[ -]") + r"\b"  # "in person" in "in-person"
        if re.search(pattern, low):
            alts = GLOSSARY[phrase]
            asked.soft.update(alts) if phrase in _SOFT_VERBS else None
            asked.groups.append((alts, bool(head_terms) and alts == head_terms[-1]))
            low = re.sub(pattern, " ", low)
    asked.groups += [((t,), False) for t in words(info.norm)]
    rendered = _rendered(low, retriever, info)
    asked.rendered, asked.unmapped = rendered.groups, rendered.unmapped
    return asked


def _chinese_terms(info: QueryInfo, words, place_terms) -> _Asked:
    asked = _Asked()
    text = re.sub(r"(19|20)\d\d年?", " ", info.norm)
    m = re.search(r"(多少|几)([件条个次人户项家名元万亿]*)", text)
    # a verb's aspect particle is no part of what is asked: "发了" asks 发, "收过费" asks 收费
    tokens, glued = _glued_nouns([_INFIX_ASPECT.sub(r"\1", _ASPECT.sub("", t)) for t in words(text)], text)
    asked.groups = [(_TEMPLATE_SYNONYMS.get(w, (w,)), False) for w in tokens]
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
            head = tuple(dict.fromkeys(a for t in head_tokens for a in _TEMPLATE_SYNONYMS.get(t, (t,))))
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
                  "邮寄": ("邮寄", "信函"), "寄信": ("寄信", "信函"), "来信": ("来信", "信函")}
_ASPECT = re.compile(r"(?<=[\u4e00-\u9fff])[了过着]$")  # "发了" -> 发, "收过" -> 收
_ELIDED = re.compile(r"的(?:有|是|共有|一共有)?\s*$")  # "…提交的有多少件": a relative clause, its noun left out
_INFIX_ASPECT = re.compile(r"^([\u4e00-\u9fff])[了过着](?=[\u4e00-\u9fff]$)")  # "收过费" -> 收费


# a relative clause's verb at its end, its noun left out: "…有多少是当面提交的", "…当面到现场提交的有多少件"
_RELATIVE_END = re.compile(r"([\u4e00-\u9fff]{2})的(?:有|是|呢)?(?:多少|几)?[件个条项份次]?\s*[？?]?\s*$|"
                           r"([\u4e00-\u9fff]{2})的(?:有|是|共有)(?:多少|几)")


_PLACE_LEVEL = frozenset("村乡镇县区市省")  # "村公示栏" against "乡政务公开公示栏": the level names which one


def _glued_nouns(tokens: list[str], text: str) -> tuple[list[str], list[str]]:
    """A level the segmenter cut off its noun ("村" + "公示栏" of "在村公示栏") is put back on it: the level is what
    tells the village's board from the township's. The tokens, and those that got their level back."""
    out, glued, cursor = [], [], 0
    for t in tokens:
        at = text.find(t, cursor)
        cursor = at + len(t) if at >= 0 else cursor
        # the level stands alone before the noun: "在村公示栏", not the end of a name ("洪泽区政府")
        if at >= 1 and text[at - 1] in _PLACE_LEVEL and (at == 1 or text[at - 2] in _BEFORE_LEVEL):
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
        if len(alts[0]) >= 2 and alts[0] not in _GENERIC and not _question_word(alts[0]):
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
        return [t for t in words(part) if len(t) >= 2 and t not in _GENERIC and t not in place_terms
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
    return tuple(p for p in last if word.endswith(p) and p not in _GENERIC)


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
                pieces += [p for p in found if p not in _GENERIC and not _question_word(p)]
                break
    return alts + tuple(dict.fromkeys(pieces))


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
        if set(alts) <= soft and not head:
            weight *= SOFT_WEIGHT  # an English verb has many Chinese renderings; the report may use another
        concept = Concept(alts, weight, head, partial=partial)
        (generic if _generic(concept) else specific).append(concept)
    # generic words matter only when the question has nothing more specific ("公开各类政府信息多少条")
    return specific or generic


PARTIAL_CREDIT = 0.5


def _coverage(norm: str, cs: list[Concept]) -> tuple[float, bool]:
    total = sum(c.weight for c in cs) or 1.0
    got = sum(c.weight if any(says(norm, a) for a in c.alternatives) else
              PARTIAL_CREDIT * c.weight if any(p in norm for p in c.partial) else 0.0 for c in cs)
    head_ok = all(any(says(norm, a) for a in c.alternatives + c.partial) for c in cs if c.head)
    return got / total, head_ok


MAX_WHOLE_REPORTS = 2  # a question scoped to this many reports reads all of them, not only the retrieved chunks


def _sentences(retrieval: Retrieval, docs: dict[str, Document], retriever=None) -> list[Sentence]:
    """The sentences of the retrieved chunks, in retrieval order; when the question names one or two reports,
    then every other sentence of theirs (ranked last): the answer is in them though the search missed it."""
    chunks = [(rank, hit.chunk, retrieval.dense_scores.get(hit.chunk.id, 0.0)) for rank, hit in enumerate(retrieval.hits)]
    if retriever is not None and len(retrieval.scope) <= MAX_WHOLE_REPORTS:
        seen = {c.id for _, c, _ in chunks}
        chunks += [(len(seen), c, 0.0) for c in retriever.chunks_of(retrieval.scope) if c.id not in seen]
    out: list[Sentence] = []
    for rank, c, dense in chunks:
        doc = docs[c.doc_id]
        spans = [(c.start, c.end)] if " | " in c.text else split_sentences(c.text, c.start)
        for s, e in spans:
            text = doc.text[s:e]
            out.append(Sentence(doc, c.section_path, s, e, text, normalize(text), rank, dense))
    return out


def _quantities(text: str):
    return [_unit_before(text, q) for q in extract_quantities(text)
            if q.kind in ("number", "percent") and not _digit_run(text, q)]


# a statistics table read as text, its unit column before the value: "主动公开信息数 条 69 其中：1、网站公开 条 69"
_UNIT_COLUMN = re.compile(r"(?:^|\s)(条|件|个|项|次|人次|人|户|万元|元)\s+$")


def _unit_before(text: str, q):
    m = _UNIT_COLUMN.search(text, 0, q.start) if not q.unit and q.kind == "number" else None
    return replace(q, unit=m.group(1)) if m else q


_GLUED = re.compile(r"[\u4e00-\u9fff）)]")


def _run_on_table(s: Sentence) -> bool:
    """A statutory table whose cell borders were lost, its headers run into the text ("信息内容本年制发件数…
    规章000行政规范性文件2023…"): its figures are read as cells by bot.facts, never bound as a sentence's."""
    return " | " not in s.text and (any(h in s.text for h in RUN_ON_HEADERS) or bool(_FLAT_ROW.search(s.text)))


_FLAT_ROW = re.compile(r"[\u4e00-\u9fff）)”]\d{3,}\s*$")  # a template row with its figures run on: "（一）予以公开5000005"


def _digit_run(text: str, q) -> bool:
    """Digits that are no figure of their own: a flattened table's run ("规章000行政规范性文件2023第二十条": the cells
    of a row, read by bot.facts), glued to words on both sides with no unit, or written with a leading zero."""
    raw = q.raw.strip()
    if q.unit or not raw.isdigit():
        return False
    if len(raw) > 1 and raw.startswith("0"):
        return True
    before, after = text[q.start - 1:q.start], text[q.end:q.end + 1]
    return before != "第" and bool(_GLUED.fullmatch(before)) and bool(_GLUED.fullmatch(after))


_NOT_A_COUNT = ("%", "‰", "个百分点", "倍")


# measure words that count the same things in this genre: applications come in 件 or 份, cases in 件 or 起
_SAME_MEASURE = {"份": "件", "起": "件"}


def _fits(q, it: Intent, unit_hint: str = "") -> bool:
    """A candidate of the wrong answer type is never shown: a rate for a count, an amount for a percentage."""
    unit = normalize(q.unit or unit_hint)
    if it.atype == PERCENT:
        return q.kind == "percent" or unit in ("%", "‰")
    if q.kind != "number" or unit in _NOT_A_COUNT:
        return False
    if it.atype == MONEY:
        return "元" in unit
    if "元" in unit:
        return False
    if it.units:
        unit = unit.lstrip("万亿") or unit  # "12万余条" counts 条
        unit = _SAME_MEASURE.get(unit, unit)
        asked = {_SAME_MEASURE.get(u, u) for u in it.units}
        return any(unit.startswith(u) or (unit and u.startswith(unit)) for u in asked)
    return True


def _first_of_kind(text: str, kinds: tuple[str, ...]):
    qs = extract_quantities(text)
    for kind in kinds:
        if kind == "month":
            m = _YEAR_MONTH.search(text)
            if m:
                return Quantity(m.group(0), m.group(0), m.start(), m.end(), kind="date"), (m.start(), m.end()), True
            continue
        q = next((q for q in qs if q.kind == kind), None)
        if q is not None:
            return q, (q.start, q.end), True
    return None


def _bind_table_row(text: str, cs: list[Concept], it: Intent):
    """A table row "label | header: value | ... | 总计: value": the column the question names, else the total."""
    plain = re.sub(r"第[一二三四五六七八九十百]+[条项款]", "", text)  # "第二十条" names a clause, not a unit
    if it.atype == COUNT and it.units and "件" not in it.units and not any(u in plain for u in it.units):
        return None  # the statutory tables count in 件; "多少条" asks about something else
    cells = _TABLE_CELL.split(text)
    if not any(":" in c or "：" in c for c in cells[1:]):
        figures = _row_figures(text, it)
        if len(figures) == len(T3_COLUMNS):
            return _table3_column(figures, cs)
    best = None
    for cell in cells[1:]:
        header = normalize(cell.split(":")[0].split("：")[0])
        hint = "万元" if "万元" in header else ("元" if "元" in header else "件")
        qs = [q for q in _quantities(cell) if _fits(q, replace(it, units=()), hint)]
        if not qs:
            continue
        # a column named by the question's longest term wins ("行政复议/总计" over "复议后起诉/总计")
        score = sum(c.weight * max((len(a) for a in c.alternatives if a in header), default=0)
                    / max(len(a) for a in c.alternatives) for c in cs if not c.rendered)  # columns: own words
        if "总计" in header or "合计" in header:
            score += 0.01  # the total unless the question names a column
        if best is None or score > best[0]:
            best = (score, qs[-1], cell)
    if best is None:
        return None
    q, cell = best[1], best[2]
    offset = text.find(cell)
    header = normalize(cell.split(":")[0]).split("/")
    # "行政复议/总计" states the asked figure outright; a sub-column total does not
    tight = len(header) <= 2 and any(a == header[0] for c in cs for a in c.alternatives)
    return q, (offset, offset + len(cell)), tight


_ROW_CELL = re.compile(r"[^|\s][^|]*?(?=\s*(?:\||$))")  # a cell of "label | 40 | 2 |" without its spaces


def _row_figures(text: str, it: Intent) -> list[tuple[Quantity, tuple[int, int]]]:
    """The figures of a table row's value cells, each with the span of its cell in `text`."""
    cells = list(_ROW_CELL.finditer(text))[1:]
    return [(q, m.span()) for m in cells for q in _quantities(m.group()) if _fits(q, replace(it, units=()), "件")]


def _table3_column(figures: list[tuple[Quantity, tuple[int, int]]], cs: list[Concept]):
    """A table-三 row whose header row was lost across a page ("1.本机关不掌握相关政府信息 | 30 | 1 | 0 | 0 | 2 |
    0 | 33"): its 7 figures are the template's 7 columns, so a column is known by its place; 总计 unless the
    question names another. "法人" alone names five columns: no figure."""
    asked = {a for c in cs for a in c.alternatives}
    named = [k for k, col in enumerate(T3_COLUMNS[:-2])
             if any(col in a for a in asked) or set(base_words(col)) <= asked]  # 商业企业 may come as 商业 + 企业
    if len(named) > 1 or (not named and any("法人" in a for a in asked)):
        return None
    q, span = figures[named[0] if named else -1]
    return q, span, False


# what the genre's figures count, in the words of the template and the reports
_COUNTED = ("行政复议", "复议", "行政诉讼", "诉讼", "申请", "咨询", "投诉", "举报", "信访", "建议", "提案")


def _counts_another_thing(lead: str, cs: list[Concept]) -> bool:
    """The figure counts another of the genre's things than the one asked: in "依申请公开领域行政复议案件25件"
    25 counts reconsiderations (the last such word before it), not applications."""
    found = [(lead.rfind(w) + len(w), w) for w in _COUNTED if w in lead]
    asked = [a for c in cs for a in c.alternatives if any(w in a or a in w for w in _COUNTED)]
    if not found or not asked:
        return False  # the question names none of them ("新收"): nothing to disagree with
    last = max(found)[1]
    return not any(last in a or a in last for a in asked)


_JOINT = re.compile("({0})(?:和|与|及|以及|、)({0})".format("|".join(_COUNTED)))  # "行政复议和行政诉讼案件共2件"


def _counts_jointly(lead: str, cs: list[Concept]) -> bool:
    """The figure counts two of the genre's things together and the question asks for one of them alone."""
    joints = list(_JOINT.finditer(lead))
    if not joints:
        return False
    m = joints[-1]
    asked = [any(m.group(k) in a or a in m.group(k) for c in cs for a in c.alternatives) for k in (1, 2)]
    return asked[0] != asked[1]


def _bind_quantity(sent: Sentence, cs: list[Concept], it: Intent):
    """The figure the question asks for: in the clause that best matches the question, right after its terms."""
    text = sent.text
    if " | " in text:
        return _bind_table_row(text, cs, it)
    best, widened = None, False
    pos = 0
    has_head = any(c.head for c in cs)
    for clause in _CLAUSE_SPLIT.split(text):
        cstart = text.find(clause, pos)
        pos = cstart + len(clause)
        # (a list item's number is read in the sentence: the clause split cut "1" of "1、进一步规范…" from its 、)
        qs = [q for q in _quantities(clause) if _fits(q, it) and not is_list_mark(text, cstart + q.start)]
        if not qs:
            continue
        norm_clause = normalize(clause)
        cov, head_ok = _coverage(norm_clause, cs)
        # the counted thing comes just before its figure ("上年度结转申请34件"): take the first figure after
        # the last term of the question, and prefer a clause where they touch
        end_of = {a: norm_clause.rfind(a) + len(a) for c in cs for a in c.alternatives + c.partial
                  if a in norm_clause}
        ends = list(end_of.values())
        after = [q for q in qs if ends and q.start >= max(ends)] or qs  # (offsets within the clause)
        if len(after) >= 4 and not any(q.unit for q in after):
            after = after[-1:]  # a table row read as plain text ("… 12 3 0 0 1 0 16"): the total is last
        if _counts_another_thing(norm_clause[: after[0].start], cs) or _counts_jointly(norm_clause[: after[0].start], cs):
            continue
        # touching counts for a specific term only: "政府信息公开指南1条" does not touch "公开" in any useful sense
        specific = [e for a, e in end_of.items() if a not in _GENERIC]
        tight = bool(specific) and after[0].start - max(specific) <= 2 and (head_ok or not has_head)
        if not it.etc and any(norm_clause[e:e + 1] == "等" for e in ends):
            widened = True  # "因本机关不掌握等原因无法提供40件": 等 follows an asked term, the figure counts more
            continue
        score = cov + (0.5 if head_ok else 0) + (0.15 if tight else 0)
        if best is None or score > best[0]:
            best = (score, after[0], (cstart, cstart + len(clause)), tight, cov)
    if best is None or (widened and best[4] == 0):
        return None  # the asked clause was widened by 等: a clause naming nothing asked is not its stand-in
    return best[1], best[2], best[3]


MENTIONED = "mentioned:"  # scope note: the place is named only in these reports' text (bot.retrieve.retriever)
MIN_COVERAGE = 0.45
PHONE_MIN_COVERAGE = 0.3
SEMANTIC_WEIGHT = 2.0  # per unit of cosine below the best candidate's
ROW_WEIGHT = 0.5  # a template row the question names (or the default row) over the others


@dataclass
class Candidate:
    """A sentence that can answer, with the figure bound in it (None for free-text answers)."""

    score: float
    coverage: float
    head_ok: bool
    sentence: Sentence
    bound: tuple | None
    row: float = 0.0  # fit of its table row to the question (+1 named, -1 another row, 0 prose)


def answer(retrieval: Retrieval, docs: dict[str, Document], retriever=None) -> Answer:
    info = retrieval.info
    lang = info.lang
    conflict = filter_conflict(retrieval, docs)
    if conflict:
        return Answer(info.text, conflict, False, notes=["filter_excludes"], lang=lang)
    if not retrieval.hits or (retrieval.scope_note
                              and not retrieval.scope_note.startswith(("latest_year:", MENTIONED))):
        mentioning = retriever.docs_mentioning if retriever is not None else None
        return Answer(info.text, scope_message(retrieval, docs, lang, mentioning), False,
                      notes=[retrieval.scope_note], lang=lang)
    places = retriever.catalog.place_cores if retriever else frozenset()
    noise = is_noise(info, retriever)
    if noise or is_vague(info, places | frozenset(retriever.catalog.pinyin.values()) if retriever else places):
        return Answer(info.text, help_message(lang, noise), False, notes=["noise" if noise else "vague"], lang=lang)
    it = intent(info)
    cs, _ = concepts(info, retriever)
    sentences = _sentences(retrieval, docs, retriever)
    if retrieval.scope_note.startswith(MENTIONED):  # another body's report: only what it says about the place
        place = retrieval.scope_note[len(MENTIONED):]
        sentences = [s for s in sentences if names_place(place, places_in(s.text))]
    signed = _signed(info, it, retrieval, docs)
    ranked = [signed] if signed else _rerank(info, _score(info, it, sentences, cs), retriever)
    top = ranked[0] if ranked else None
    # two rows of the statutory table named ("予以公开和部分公开"): no single row's figure answers
    several_rows = it.atype == COUNT and len(named_row_terms(info.norm)) > 1
    if it.aggregate or several_rows or (it.share and top is None):
        if top is None or not _states_change(top):
            return _aggregate_answer(info, retrieval, ranked, docs)
    # a phone number is a rare, typed thing: its contact line need not repeat the asker's word for it (咨询电话 / 联系电话)
    floor = PHONE_MIN_COVERAGE if it.atype == PHONE else MIN_COVERAGE
    if top is None or top.coverage < floor or not top.head_ok:
        none = _stated_none(it, retrieval, sentences, cs)
        if none is not None:
            return _compose_none(info, none)
        return Answer(info.text, not_stated(retrieval, docs, lang), False, notes=["not_stated"], lang=lang)
    return _compose(info, it, retrieval, sentences, top)


# a report saying there was none of a thing: "本年度无依申请公开信息", "本年度无因政府信息公开申请行政复议、提起行政诉讼的情况"
_NONE = re.compile(r"(?:^|[，,；;])[^，,；;。]{0,12}?(?:无|没有|未(?:发生|收到|受理|出现|产生|有))(?P<what>[^，,；;。]{2,40})")
NONE_MAX_SENTENCE = 60  # a statement of its own, not a clause buried in a long sentence
NONE_COVERAGE = MIN_COVERAGE  # of the asked words, in what it negates (the asker's verbs "received" stand outside it)


def _stated_none(it: Intent, retrieval: Retrieval, sentences: list[Sentence], cs: list[Concept]) -> Sentence | None:
    """For a count no figure answers: a sentence of the one report asked that says there was none of what was asked,
    every asked word in what it negates."""
    if it.atype != COUNT or len(retrieval.scope) != 1 or not any(c.head for c in cs):
        return None
    for s in sentences:
        m = _NONE.search(s.text)
        if s.doc.id not in retrieval.scope or len(s.text) > NONE_MAX_SENTENCE or m is None or " | " in s.text:
            continue
        cov, head_ok = _coverage(normalize(m["what"]), [c for c in cs if c.weight > SOFT_WEIGHT])
        if head_ok and cov >= NONE_COVERAGE and not re.search(r"\d", m["what"]):
            return s
    return None


def _compose_none(info: QueryInfo, s: Sentence) -> Answer:
    """'0 — the report says there were none' with the sentence quoted."""
    citation = Citation(1, s.doc.id, s.doc.title, s.section, s.text, s.start, s.end)
    short = "0 (none, as the report states) [1]" if info.lang == "en" else "0（报告写明“无”）[1]"
    lines = [short, "", f"「{s.text}」[1]", "", fmt_citation(citation, s.doc)]
    return Answer(info.text, "\n".join(lines), True, [citation], notes=["type:count", "stated_none"],
                  short=short.removesuffix(" [1]"), lang=info.lang)



def _signed(info: QueryInfo, it: Intent, retrieval: Retrieval, docs: dict[str, Document]) -> Candidate | None:
    """The date one report is signed, when the question asks the report's own date ("落款日期是哪天")."""
    if it.atype != DATE or len(retrieval.scope) != 1 or not REPORT_DATE.search(info.norm):
        return None
    doc = docs.get(retrieval.scope[0])
    span = signature_span(doc) if doc else None
    if span is None:
        return None
    start, end, d_start, d_end = span
    text = doc.text[start:end]
    sentence = Sentence(doc, "", start, end, text, normalize(text), 0, 0.0)
    bound = _first_of_kind(text, ("date",))
    return Candidate(1.0, 1.0, True, sentence, bound) if bound else None


def _states_change(c: Candidate) -> bool:
    """The report states the change or comparison itself ("较上年增长12%"): that figure answers."""
    if c.bound is None:
        return False
    s, e = c.bound[1]
    return bool(_CHANGE.search(c.sentence.text[max(0, s):e]))


def _score(info: QueryInfo, it: Intent, sentences: list[Sentence], cs: list[Concept]) -> list[Candidate]:
    """Every sentence that can answer with a candidate of the asked type, best first."""
    out = []
    only_generic = all(all(_is_generic(a) for a in c.alternatives) for c in cs)
    question = info.norm + " " + " ".join(info.terms)
    own_level = bool(_OWN_LEVEL.search(info.norm))
    for s in sentences:
        if _title_piece(s) or (only_generic and it.atype == FREE) or not _WORDED.search(s.text) or _run_on_table(s):
            continue  # a title line answers nothing; generic words alone cannot pick a fact; a row of bare
            # figures ("0 | 0 | 1 | 0") cannot show in its quote what it counts
        cov, head_ok = _coverage(s.norm + " " + normalize(_field_lead(s) + " " + s.section), cs)
        topic, _ = _coverage(normalize(s.section), cs)  # the section is about what was asked
        score = (cov + 0.1 * topic + 0.15 * s.dense + 0.1 / (1 + s.rank)
                 + (0.2 if head_ok and any(c.head for c in cs) else 0))
        bound = _bind(s, cs, it)
        if bound is None and it.atype not in (FREE, YESNO, PERSON):
            continue
        if it.atype == PERSON and not _PERSON.search(s.text) and "任组长" not in s.text:
            continue
        if it.atype == YESNO and not _says_it_itself(s, cs):
            continue
        if own_level and bound is not None and _WIDE_LEVEL.search(s.text[:bound[1][1]]):
            continue  # the body itself asked ("本级", "itself"), a figure for all its area given ("全市…3646件")
        if bound is not None and it.atype in (COUNT, MONEY, PERCENT) and _unread_word_may_pick(s, bound, cs, it):
            continue
        if bound is not None and it.atype in (COUNT, MONEY, PERCENT):
            # the figure sits right after the asked term, and the clauses around it say everything asked
            local = _local_coverage(s.text, bound, cs)
            if local == 0 and cov < 0.99 and " | " not in s.text:
                continue  # nothing asked stands near the figure, and its section does not say all that was asked
            score += (0.25 if bound[2] and local > 0.99 else 0) + LOCAL_WEIGHT * local
            pot = _part_or_total(s.text, bound)
            # (the question names a part when the part's clause says what was asked, not when only the list after a
            # total does: "…N条,内容涉及…工作动态…" / "其中…工作动态M条")
            pot = 0.0 if (pot < 0 and local >= 0.5) or (pot > 0 and _asked_after_only(s, bound, cs)) else pot
            score += pot - (UNIT_MISMATCH if _other_scale(bound[0], it) else 0)
            head_ok = head_ok and _head_before(s, bound, cs)
        row = row_fit(row_label(s.text), question) if it.atype == COUNT else 0.0
        if row < 0:
            continue  # another row of the template than the one asked: never its figure
        out.append(Candidate(score + ROW_WEIGHT * row, cov, head_ok or row > 0, s, bound, row))
    out.sort(key=lambda c: -c.score)
    return out


# a field of a list the sentence splitter cut at "；": "电话：0591-…；" of "…请与…办公室联系，联系地址：…；电话：…"
_FIELD = re.compile(r"^[^\s，,。；;：:]{1,10}[：:]")
_SENTENCE_START = re.compile(r"[。！？!?\n]")


def _field_lead(s: Sentence) -> str:
    """What the sentence a field belongs to says before its fields (the fields' subject), '' for other sentences."""
    if not _FIELD.match(s.text):
        return ""
    before = s.doc.text[max(0, s.start - 200):s.start]
    ends = list(_SENTENCE_START.finditer(before))
    return before[ends[-1].end():] if ends else before


_PARTS_NEXT = re.compile(r"[。；;\s]*(其中|包括)")  # the next sentence lists the parts: "…N条。其中概况类M条…"
_PARTS_FOLLOW = re.compile(r"^[^。；;]{0,8}?(其中|包括|含)")  # "393 件，其中包括：…"


def _asked_after_only(s: Sentence, bound, cs: list[Concept]) -> bool:
    """An asked word stands after the figure and none before it: the words list what the total holds."""
    cut = bound[1][0] + bound[0].end
    before, after = normalize(s.text[:cut]), normalize(s.text[cut:])
    specific = [a for c in cs if c.weight > SOFT_WEIGHT for a in c.alternatives if a not in _GENERIC]
    return any(says(after, a) for a in specific) and not any(says(before, a) for a in specific)


def _clause_of(text: str, q) -> tuple[int, int]:
    """The span of the clause a figure of `text` stands in."""
    ends = [m.end() for m in _CLAUSE_SPLIT.finditer(text, 0, q.start)]
    return (ends[-1] if ends else 0), q.end


def _unread_word_may_pick(s: Sentence, bound, cs: list[Concept], it: Intent) -> bool:
    """The question has a word no dictionary renders ("followers", "interpretation") and the sentence states several
    figures of the asked kind: that word may name any of them ("关注人数", "解读类信息"), so none is the answer unless
    the asked words touch the figure."""
    if bound[2] or " | " in s.text or not any(a.startswith("\x00") for c in cs for a in c.alternatives):
        return False
    if not any(a not in _GENERIC and says(s.norm, a) for c in cs for a in c.alternatives):
        return True  # only generic words ("公开") of the question are in the sentence: the unread word is all it asks
    if _PARTS_NEXT.match(s.doc.text, s.end) and not _PARTS_NEXT.match(s.text):
        return True  # the next sentence lists the parts of its total ("…N条。其中概况类M条…")
    offset = bound[1][0] + bound[0].start  # where the bound figure stands in the sentence
    figures = [q for q in _quantities(s.text) if _fits(q, it)]
    if len(figures) < 2:
        return False
    after = s.text[bound[1][0] + bound[0].end:][:12]
    if _part_or_total(s.text, bound) > 0 or _PARTS_FOLLOW.search(after):
        return True  # a total with its parts listed: the unread word may name a part ("解读类信息M条")
    mine = _own_clause_coverage(s.text, bound[1][0], offset + len(bound[0].raw), cs)
    rivals = [q for q in figures if q.start != offset and _own_clause_coverage(s.text, *_clause_of(s.text, q), cs) >= mine]
    return bool(rivals)  # the asked words it reads do not single the figure out


def _own_clause_coverage(text: str, start: int, end: int, cs: list[Concept]) -> float:
    return _coverage(normalize(text[start:end]), cs)[0]


# the body at its own level ("市政府本级", "the government itself"), and a figure for its whole area ("全市共…")
_OWN_LEVEL = re.compile(r"本级|本机关|机关本身|\bitself\b|\bits own\b|\bthemselves\b", re.I)
_WIDE_LEVEL = re.compile(r"全[市县区省州旗盟镇乡]|各级|全系统|\b(?:city|county|province|district)-?wide\b", re.I)


# a figure given as a total ("全年共公开各类政府信息3000条") or as a part of one ("其中:…渠道公开900余条")
_TOTAL_LEAD = re.compile(r"(共|共计|累计|总计|合计|全年|总数)[^,，;；。]{0,12}$")
_PART_LEAD = re.compile(r"^\W*(其中|包括)")


_WORDED = re.compile(r"[\u4e00-\u9fffA-Za-z]{2}")


LOCAL_WEIGHT = 0.3
UNIT_MISMATCH = 0.3


def _local_coverage(text: str, bound, cs: list[Concept]) -> float:
    """Coverage of the figure's clause and the one before it: in a long sentence listing several things
    ("五保对象10631人,发放资金…;医疗救助49237人,发放资金…") the asked words must stand near the figure."""
    if " | " in text:
        return _coverage(normalize(text), cs)[0]  # a table row: its label and headers say what a cell counts
    start = bound[1][0]
    before = [m.end() for m in _CLAUSE_SPLIT.finditer(text, 0, max(0, start - 1))]
    previous = [q.end for q in _quantities(text) if q.end <= start]
    if not previous:
        # no figure before it: the clauses before all lead up to it, listed ones too ("抢险救灾、优抚…的管理、使用和
        # 分配情况类信息6条")
        return _coverage(normalize(text[:bound[1][1]]), cs)[0]
    return _coverage(normalize(text[(before[-1] if before else 0):bound[1][1]]), cs)[0]


def _other_scale(q, it: Intent) -> bool:
    """An amount in another scale than the one asked (元 where 万元 was asked): likely another amount."""
    return it.atype == MONEY and bool(it.units) and normalize(q.unit or "") not in it.units


def _head_before(s: Sentence, bound, cs: list[Concept]) -> bool:
    """The counted noun is named before the figure or in its clause (a table row names it in its label): in
    "…共设置专栏8个大项…依申请公开…" the 申请 after 8 is not what 8 counts."""
    heads = [c for c in cs if c.head]
    if not heads or " | " in s.text:
        return True
    lead = normalize(s.text[: bound[1][1]] + " " + s.section)
    return all(any(a in lead for a in c.alternatives + c.partial) for c in heads)


def _part_or_total(text: str, bound) -> float:
    """A small preference for a stated total over a part of it, for questions that name no part (prose only)."""
    if " | " in text:
        return 0.0
    lead = text[bound[1][0]:bound[1][0] + bound[0].start]
    listed = _sum_of_rest(text, bound[1][0] + bound[0].start)
    return (0.2 if _TOTAL_LEAD.search(lead) or listed == "total" else 0.0) - (
        0.2 if _PART_LEAD.search(text) or listed == "part" else 0.0)


def _sum_of_rest(text: str, at: int) -> str:
    """In a sentence whose first figure is the sum of the others of its unit ("公开278条…机构职能类2条，…重大建设项目类
    252条，其他21条"), the first is the total and the others its parts: "total", "part", or "" for the figure at `at`."""
    qs = [q for q in _quantities(text) if q.kind == "number" and q.unit]
    first = qs[0] if qs else None
    rest = [q for q in qs[1:] if q.unit == first.unit] if first else []
    if len(rest) < 2 or not _same_number(first.value, sum(float(q.value) for q in rest)):
        return ""
    return "total" if first.start == at else "part" if any(q.start == at for q in rest) else ""


def _same_number(a: str, b: float) -> bool:
    try:
        return abs(float(a) - b) < 1e-6
    except ValueError:
        return False


def _says_it_itself(s: Sentence, cs: list[Concept]) -> bool:
    """A yes/no answer rests on a sentence that says what was asked in its own words: not a table fragment whose
    section heading holds the words ("通知要求缴纳费用、行"), nor a piece of the report's title."""
    if len(re.findall(r"[\u4e00-\u9fff]", s.text)) < 8 or not cs:
        return False
    return _coverage(s.norm, cs)[0] >= MIN_COVERAGE


def _title_piece(s: Sentence) -> bool:
    """The report's title line, or a piece of it that a line break cut ("2025 年上海市人民政府办公厅政府信息公开")."""
    text = re.sub(r"\s+", "", s.norm)
    return bool(text) and text in re.sub(r"\s+", "", normalize(s.doc.title or ""))


def _bind(s: Sentence, cs: list[Concept], it: Intent):
    if it.atype in (COUNT, MONEY, PERCENT):
        return _bind_quantity(s, cs, it)
    if it.atype == PHONE:
        return _first_of_kind(s.text, ("phone",))
    if it.atype == DATE:
        return _first_of_kind(s.text, ("date", "month"))  # a bare year does not say when ("2023年" of a title)
    if it.atype == YEAR:
        return _first_of_kind(s.text, ("year",))
    return None


def _clause(c: Candidate) -> str:
    text = c.sentence.text
    if c.bound is None:
        return text[:160]
    s, e = c.bound[1]
    label = row_label(text)
    return (label + " " + text[s:e] if label and " | " in text else text[max(0, s - 40):e + 10])[:160]


def _rerank(info: QueryInfo, cands: list[Candidate], retriever) -> list[Candidate]:
    """The best lexical candidates re-scored by the embedder's similarity of question and clause."""
    head = cands[:MAX_CLAUSES]
    embedder = getattr(retriever, "embedder", None)
    if len(head) < 2 or embedder is None:
        return cands
    sims = similarities(embedder, info.embed_query, [_clause(c) for c in head])
    best = max(sims)
    for c, sim in zip(head, sims):
        c.score += SEMANTIC_WEIGHT * (sim - best)
    return sorted(head, key=lambda c: -c.score) + cands[MAX_CLAUSES:]


def _aggregate_answer(info: QueryInfo, retrieval: Retrieval, ranked: list[Candidate],
                      docs: dict[str, Document]) -> Answer:
    """No computed answer exists: say so, and give the cited figures found (one per report), none as the answer."""
    picked: list[Candidate] = []
    for c in ranked:
        if c.bound is not None and c.coverage >= MIN_COVERAGE and c.head_ok and c.row >= 0 \
                and all(p.sentence.doc.id != c.sentence.doc.id for p in picked):
            picked.append(c)
        if len(picked) == 3:
            break
    cites, found = [], []
    for n, c in enumerate(picked, 1):
        s = c.sentence
        cites.append(Citation(n, s.doc.id, s.doc.title, s.section, s.text, s.start, s.end))
        q = c.bound[0]
        found.append(f"{_figure_text(q)} ({s.doc.body or s.doc.id} {s.doc.year or ''}) [{n}]".replace(" )", ")"))
    text = cannot_combine(info.lang, found)
    lines = [text] + [""] + [f"「{c.quote}」[{c.n}]" for c in cites] + [""] if cites else [text]
    lines += [fmt_citation(c, docs[c.source]) for c in cites]
    return Answer(info.text, "\n".join(lines).strip(), False, cites, notes=["aggregate_not_computed"], short=text,
                  lang=info.lang)


def _quote_span(info: QueryInfo, best: Sentence, bound, sentences: list[Sentence]) -> tuple[int, int]:
    qs, qe = best.start, best.end
    if bound is not None and " | " in best.text:
        # a table row: quote from the row label to the cell that holds the figure (just the cell when far)
        cell_start, cell_end = best.start + bound[1][0], best.start + bound[1][1]
        near = cell_end - best.start <= 160 or best.text.find(" | ") <= 60
        qs, qe = (best.start if near else cell_start), cell_end
    if bound is None and info.qtype in ("fact", "yesno") and (len(best.text) < 40 or best.text.endswith(("：", ":"))):
        # a short lead-in ("主要表现在：") says little alone: quote on to the end of the next sentence
        nxt = next((x for x in sentences if x.doc.id == best.doc.id and 0 <= x.start - qe <= 2), None)
        if nxt is not None:
            qe = nxt.end
    return qs, qe


def _compose(info: QueryInfo, it: Intent, retrieval: Retrieval, sentences: list[Sentence], top: Candidate) -> Answer:
    """The answer from the best sentence: short answer, verbatim quote, citation, typed figure."""
    lang = info.lang
    best, bound = top.sentence, top.bound
    qs, qe = _quote_span(info, best, bound, sentences)
    quote = best.doc.text[qs:qe]
    citation = Citation(1, best.doc.id, best.doc.title, best.section, quote, qs, qe)
    short = _short_answer(info, it, best, bound, quote)
    lines = [short, "", f"「{quote}」[1]", "", fmt_citation(citation, best.doc)]
    notes = [f"type:{it.atype}"]
    if retrieval.scope_note.startswith("latest_year:"):
        notes.append(retrieval.scope_note)
        lines += ["", latest_year_line(lang)]
    figure = _figure(bound, best) if it.atype in (COUNT, MONEY, PERCENT) and bound is not None else None
    return Answer(info.text, "\n".join(lines), True, [citation], notes=notes, figure=figure,
                  short=short.removesuffix(" [1]"), lang=lang)


def latest_year_line(lang: str) -> str:
    """Said when no year was asked and the body has reports of several years."""
    return ("(From the latest report; earlier years are indexed too: name a year to ask about one.)"
            if lang == "en" else "(以上为最新年度的报告;另有其他年度的报告,可在问题中注明年份。)")


def _figure(bound, best: Sentence) -> Figure:
    """The bound quantity as data: what it counts is the clause (or table cell) that holds it."""
    q, (cs_start, cs_end), _ = bound
    counts = best.text[max(0, cs_start):cs_end].strip()
    label = row_label(best.text) if " | " in best.text else ""
    if label:  # a table cell: its row and column, named alike in every report ("一、本年新收… | 总计: 120")
        counts = f"{label} | {counts if ':' in counts or '：' in counts else _column_by_place(best.text, cs_start)}"
    unit = "%" if q.kind == "percent" else q.unit
    return Figure(value=q.value, unit=unit, counts=counts[:120], citation=1, approximate=q.approx)


def _column_by_place(text: str, start: int) -> str:
    """A headerless table-三 cell named by its place in the template's column order ("总计: 120")."""
    spans = [span for _, span in _row_figures(text, Intent(COUNT))]
    at = next((i for i, (s, _) in enumerate(spans) if s == start), None)
    cell = text[start:].split("|")[0].strip()
    return f"{T3_COLUMNS[at]}: {cell}" if len(spans) == len(T3_COLUMNS) and at is not None else cell


def _figure_text(q) -> str:
    written = re.sub(r"\s|余|多", "", q.raw)  # "12万余条" already says its unit 万条
    return f"{q.raw}{q.unit}" if q.unit and not written.endswith(q.unit) else q.raw


def _short_answer(info: QueryInfo, it: Intent, s: Sentence, bound, quote: str) -> str:
    simplify = to_simplified if info.text == to_simplified(info.text) else (lambda t: t)
    if bound is not None:
        figure = simplify(_figure_text(bound[0]))  # "N條" of a traditional report, asked in simplified: N条
        if info.lang == "en" and it.atype == COUNT:
            sentence = english_sentence(info.text, bound[0].value, quote)
            if sentence:
                return f"{figure} — {sentence} [1]"
        return f"{figure} [1]"
    if it.atype == YESNO:
        neg = bool(_NEGATION.search(s.text))
        return (("No" if neg else "Yes") if info.lang == "en" else ("没有" if neg else "有")) + " [1]"
    if it.atype == PERSON:
        m = _PERSON.search(s.text)
        if m:
            return f"{simplify(m.group(1))} [1]"
    value = contact_field(info.norm, quote) or contact_field(info.norm, s.text)
    return f"{simplify(value or s.text)} [1]"



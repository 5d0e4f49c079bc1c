"""Extractive answerer: pick the evidence sentence, bind the asked-about figure, quote and cite it."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .chunk import split_sentences
from .models import Answer, Citation, Document
from .normalize import normalize
from .query import GLOSSARY, QueryInfo
from .retrieve import Retrieval

# Words that say nothing about what is counted; they never make a clause relevant on their own.
_GENERIC = frozenset("政府 信息 政府信息 公开 工作 情况 年度 报告 本年 全年 共 累计 我局 本局 市 县 区 镇 局 全市 全县 "
                     "数量 多少 总数 主动 有关 相关 各类 各项 进行 开展 其中 办理".split())
_QUESTION_WORDS = frozenset("有没有 是否 有无 多少 哪些 什么 怎么 如何 哪天 哪一天 是多少 为多少 了吗 是谁 谁 何时 几月 "
                            "哪个 哪里 多大 总共 一共 请问".split())
_CLAUSE_SPLIT = re.compile(r"[,，;；:：、（）()]|(?<=\d)\s(?=\D)")
_NEGATION = re.compile(r"未|没有|无|不存在|零|均为0|为0|0件|0起|0元")
_PERSON = re.compile(r"([\u4e00-\u9fff]{2,3})(?:同志)")
_CN_HEAD_STRIP = re.compile(r"^(了|有|是|共|共计|累计|全年|全市|总共|一共|在|对|为|的)+|(了|有|是|的|呢|吗|\?|？)+$")
_EN_HEAD = re.compile(r"how (?:many|much) ([a-z' -]+?)(?= (?:did|does|do|were|was|is|are|has|have|had|in|for|across|by|at|on|of)\b|[?,.]|$)")
_EN_PREP = re.compile(r"\b(for|of|on|about|from|to|in)\b.*$")
_TABLE_CELL = re.compile(r"\s*\|\s*")

# English words naming units: they constrain the unit of the figure, they are not terms to find.
_UNIT_WORDS = {"items": ("条", "项", "个", "件"), "item": ("条", "项", "个", "件"), "households": ("户",),
               "household": ("户",), "people": ("人", "人次", "名"), "persons": ("人", "人次", "名"),
               "person-times": ("人次",), "yuan": ("元", "万元", "亿元"), "percent": ("%",),
               "rate": ("%",), "percentage": ("%",), "staff": ("人", "名"), "employees": ("人", "名")}
_SOFT_VERBS = frozenset("receive received get got accept accepted handle handled processed publish published release "
                        "released allocated collect collected identify identified issued answered replied make made "
                        "hold held operate operated produce produced".split())
_MONEY_HINT = re.compile(r"资金|经费|费用|金额|收费|费|how much .*(fund|money|fee|spend|cost|budget|yuan|collect)|万元|元", re.I)


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


def concepts(info: QueryInfo, retriever=None) -> tuple[list[Concept], tuple[str, ...]]:
    """What the question asks about, as groups of alternative Chinese terms, plus unit constraints."""
    from .lexical import words

    units: tuple[str, ...] = ()
    groups: list[tuple[tuple[str, ...], bool]] = []
    soft: set[str] = set()
    # place names are handled by the scope, not by matching words (a follow-up may carry another place's name)
    place_terms = retriever.catalog.place_cores if retriever else frozenset()
    if info.lang == "en":
        low = info.norm.lower()
        head_words: list[str] = []
        m = _EN_HEAD.search(low)
        if m:
            head_words = _EN_PREP.sub("", m.group(1)).split()
            # the counted noun phrase ends where the verb begins ("people received temporary assistance")
            verb = next((k for k, w in enumerate(head_words) if w in _SOFT_VERBS or w.endswith("ed")), None)
            head_words = head_words[:verb] if verb else head_words
            if head_words and all(w in _UNIT_WORDS for w in head_words):
                # "items of government information": the unit comes first, the counted thing after "of"
                rest = re.match(r".*?\bof ([a-z' -]+)", m.group(1))
                head_words += rest.group(1).split() if rest else []
        for w in head_words:
            if w in _UNIT_WORDS:
                units += _UNIT_WORDS[w]
        head_terms = [GLOSSARY[w] for w in head_words if w in GLOSSARY and w not in _UNIT_WORDS]
        for phrase in sorted(GLOSSARY, key=len, reverse=True):
            if phrase in _UNIT_WORDS and set(GLOSSARY[phrase]) <= set(_UNIT_WORDS[phrase]):
                continue  # "items" -> 条/项 constrains the unit; it is no word to look for
            if re.search(r"\b" + re.escape(phrase) + r"\b", low):
                alts = GLOSSARY[phrase]
                soft.update(alts) if phrase in _SOFT_VERBS else None
                groups.append((alts, bool(head_terms) and alts == head_terms[-1]))
                low = re.sub(r"\b" + re.escape(phrase) + r"\b", " ", low)
        for t in words(info.norm):
            groups.append(((t,), False))
    else:
        text = re.sub(r"(19|20)\d\d年?", " ", info.norm)
        m = re.search(r"(多少|几)([件条个次人户项家名元万亿]*)", text)
        head_tokens: list[str] = []
        if m:
            after = _CN_HEAD_STRIP.sub("", text[m.end():].strip(" ?？"))
            before = _CN_HEAD_STRIP.sub("", re.split(r"[,，。;；]", text[:m.start()])[-1].strip())
            seg = after if len(re.findall(r"[\u4e00-\u9fff]", after)) >= 2 else before
            head_tokens = [t for t in words(seg) if len(t) >= 2 and t not in _GENERIC and t not in place_terms
                           and not any(p in t for p in place_terms)]
            if m.group(2):
                units += (m.group(2),)
        for t in words(text):
            groups.append(((t,), False))
        if head_tokens:
            # the counted noun comes last in Chinese noun phrases; require one of its words
            groups.append((tuple(head_tokens), True))
    specific: list[Concept] = []
    generic: list[Concept] = []
    seen: set[tuple[str, ...]] = set()
    for alts, head in groups:
        alts = tuple(normalize(a) for a in alts)
        if alts in seen or all(a in place_terms or any(p in a for p in place_terms) or a in _QUESTION_WORDS
                               for a in alts):
            continue
        seen.add(alts)
        weight = max(_idf(a, retriever) for a in alts) if retriever else 1.0
        if set(alts) <= soft and not head:
            weight *= 0.4  # an English verb has many Chinese renderings; the report may use another
        concept = Concept(alts, weight, head)
        (generic if all(a in _GENERIC for a in alts) and not head else specific).append(concept)
    # generic words matter only when the question has nothing more specific ("公开各类政府信息多少条")
    return (specific or generic), units


def _coverage(norm: str, cs: list[Concept]) -> tuple[float, bool]:
    total = sum(c.weight for c in cs) or 1.0
    got = sum(c.weight for c in cs if any(a in norm for a in c.alternatives))
    head_ok = all(any(a in norm for a in c.alternatives) for c in cs if c.head)
    return got / total, head_ok


def _sentences(retrieval: Retrieval, docs: dict[str, Document]) -> list[Sentence]:
    out: list[Sentence] = []
    for rank, hit in enumerate(retrieval.hits):
        c = hit.chunk
        doc = docs[c.doc_id]
        dense = retrieval.dense_scores.get(c.id, 0.0)
        spans = [(c.start, c.end)] if " | " in c.text else split_sentences(c.text, c.start)
        for s, e in spans:
            text = doc.text[s:e]
            out.append(Sentence(doc, c.section_path, s, e, text, normalize(text), rank, dense))
    return out


def _quantities(text: str):
    from .numbers import extract_quantities

    return [q for q in extract_quantities(text) if q.kind in ("number", "percent")]


def _first_of_kind(text: str, kind: str):
    from .numbers import extract_quantities

    q = next((q for q in extract_quantities(text) if q.kind == kind), None)
    return None if q is None else (q, (q.start, q.end), True)


def _bind_quantity(sent: Sentence, cs: list[Concept], units: tuple[str, ...], money: bool):
    """The figure the question asks for: in the clause that best matches the question, right after its terms."""
    text = sent.text
    if " | " in text:  # a table row: "label | header: value | ... | 总计: value"
        plain = re.sub(r"第[一二三四五六七八九十百]+[条项款]", "", text)  # "第二十条" names a clause, not a unit
        if units and "件" not in units and not any(u in plain for u in units):
            return None  # the statutory tables count in 件; "多少条" asks about something else
        cells = _TABLE_CELL.split(text)
        best = None
        for cell in cells[1:]:
            qs = _quantities(cell)
            if not qs:
                continue
            header = normalize(cell.split(":")[0].split("：")[0])
            # a column named by the question's longest term wins ("行政复议/总计" over "复议后起诉/总计")
            score = sum(c.weight * max((len(a) for a in c.alternatives if a in header), default=0)
                        / max(len(a) for a in c.alternatives) for c in cs)
            if "总计" in header or "合计" in header:
                score += 0.01  # the total unless the question names a column
            if best is None or score > best[0]:
                best = (score, qs[-1], cell)
        if best:
            q, cell = best[1], best[2]
            offset = text.find(cell)
            header = normalize(cell.split(":")[0]).split("/")
            # "行政复议/总计" states the asked figure outright; a sub-column total does not
            tight = len(header) <= 2 and any(a == header[0] for c in cs for a in c.alternatives)
            return q, (offset, offset + len(cell)), tight
        return None
    best = None
    pos = 0
    for clause in _CLAUSE_SPLIT.split(text):
        cstart = text.find(clause, pos)
        pos = cstart + len(clause)
        qs = _quantities(clause)
        if units:
            qs = [q for q in qs if any(normalize(q.unit).startswith(u) or u.startswith(normalize(q.unit) or "\x00")
                                       for u in units)]
        elif money:
            qs = [q for q in qs if "元" in q.unit] or qs
        if not qs:
            continue
        norm_clause = normalize(clause)
        cov, head_ok = _coverage(norm_clause, cs)
        # the counted thing comes just before its figure ("上年度结转申请34件"): take the first figure after
        # the last term of the question, and prefer a clause where they touch
        ends = [norm_clause.rfind(a) + len(a) for c in cs for a in c.alternatives if a in norm_clause]
        after = [q for q in qs if ends and q.start - cstart >= max(ends)] or qs
        if len(after) >= 4 and not any(q.unit for q in after):
            after = after[-1:]  # a table row read as plain text ("… 12 3 0 0 1 0 16"): the total is last
        has_head = any(c.head for c in cs)
        tight = bool(ends) and after[0].start - cstart - max(ends) <= 2 and (head_ok or not has_head)
        score = cov + (0.5 if head_ok else 0) + (0.15 if tight else 0)
        if best is None or score > best[0]:
            best = (score, after[0], (cstart, cstart + len(clause)), tight)
    if best is None:
        return None
    return best[1], best[2], best[3]


def _fmt_citation(c: Citation, doc: Document) -> str:
    where = f" › {c.section}" if c.section else ""
    return f"[{c.n}] {doc.title or doc.id}{where} ({c.source})"


def _scope_message(retrieval: Retrieval, docs: dict[str, Document], lang: str) -> str:
    info = retrieval.info
    covered = sorted({(d.body or d.region or d.id, d.year) for d in docs.values()}, key=lambda x: (x[0], x[1] or 0))
    if retrieval.scope_note.startswith("unknown_place:"):
        place = retrieval.scope_note.split(":", 1)[1]
        listing = "; ".join(f"{b} {y or ''}".strip() for b, y in covered[:12])
        return (f"The indexed reports do not cover {place}. They cover: {listing}." if lang == "en"
                else f"已收录的报告不涉及{place}。现有报告:{listing}。")
    if retrieval.scope_note == "no_year_for_place":
        years = sorted({docs[d].year for d in info.doc_ids if docs[d].year})
        name = docs[info.doc_ids[0]].body or docs[info.doc_ids[0]].region
        ys = ", ".join(str(y) for y in years)
        return (f"There is no {info.year} report of {name} in the index; its reports cover {ys}." if lang == "en"
                else f"索引中没有{name}{info.year}年的报告;已收录年份:{ys}。")
    if retrieval.scope_note == "no_year":
        ys = ", ".join(str(y) for y in sorted({d.year for d in docs.values() if d.year}))
        return (f"No indexed report covers {info.year}; the reports cover {ys}." if lang == "en"
                else f"没有收录{info.year}年的报告;已收录年份:{ys}。")
    return ("No indexed report matches the selected filters." if lang == "en" else "没有符合所选条件的报告。")


def _not_stated(retrieval: Retrieval, docs: dict[str, Document], lang: str) -> str:
    ids = list(dict.fromkeys(h.chunk.doc_id for h in retrieval.hits))[:3]
    names = "; ".join(f"{docs[i].title or i} ({i})" for i in ids)
    return (f"The reports do not state this. The closest reports searched: {names}. None of their passages gives "
            "what was asked, so no figure is offered." if lang == "en" else
            f"报告中没有说明这一点。检索到的最相关报告:{names};其中没有回答该问题的内容,因此不提供数字。")


MIN_COVERAGE = 0.45


def answer(retrieval: Retrieval, docs: dict[str, Document], retriever=None) -> Answer:
    info = retrieval.info
    lang = info.lang
    if not retrieval.hits:
        return Answer(info.text, _scope_message(retrieval, docs, lang), False, notes=[retrieval.scope_note])
    if retrieval.scope_note and not retrieval.scope_note.startswith("latest_year:"):
        return Answer(info.text, _scope_message(retrieval, docs, lang), False, notes=[retrieval.scope_note])
    cs, units = concepts(info, retriever)
    money = bool(_MONEY_HINT.search(info.norm)) and info.qtype == "quantity"
    sentences = _sentences(retrieval, docs)
    scored = []
    only_generic = all(all(a in _GENERIC for a in c.alternatives) for c in cs)
    for s in sentences:
        if s.text.strip() == s.doc.title or (only_generic and info.qtype == "fact"):
            continue  # a title line answers nothing; generic words alone cannot pick a fact
        cov, head_ok = _coverage(s.norm + " " + normalize(s.section), cs)
        topic, _ = _coverage(normalize(s.section), cs)  # the section is about what was asked
        score = (cov + 0.1 * topic + 0.15 * s.dense + 0.1 / (1 + s.rank)
                 + (0.2 if head_ok and any(c.head for c in cs) else 0))
        bound = None
        if info.qtype == "quantity":
            bound = _bind_quantity(s, cs, units, money)
            if bound is None:
                continue
            # the figure sits right after the asked term, and the sentence says everything asked
            score += 0.25 if bound[2] and cov > 0.99 else 0
        elif info.qtype in ("phone", "when"):
            bound = _first_of_kind(s.text, "phone" if info.qtype == "phone" else "date")
            if bound is None:
                continue
        elif info.qtype == "who" and not _PERSON.search(s.text) and "任组长" not in s.text:
            continue
        scored.append((score, cov, head_ok, s, bound))
    scored.sort(key=lambda x: -x[0])
    if not scored or scored[0][1] < MIN_COVERAGE or not scored[0][2]:
        return Answer(info.text, _not_stated(retrieval, docs, lang), False, notes=["not_stated"])
    _, _, _, best, bound = scored[0]
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
    quote = best.doc.text[qs:qe]
    citation = Citation(1, best.doc.id, best.doc.title, best.section, quote, qs, qe)
    short = _short_answer(info, best, bound, lang)
    lines = [short, "", f"「{quote}」[1]", "", _fmt_citation(citation, best.doc)]
    notes = []
    if retrieval.scope_note.startswith("latest_year:"):
        notes.append(retrieval.scope_note)
        lines.append("")
        lines.append("(From the latest report; earlier years are indexed too: name a year to ask about one.)"
                     if lang == "en" else "(以上为最新年度的报告;另有其他年度的报告,可在问题中注明年份。)")
    return Answer(info.text, "\n".join(lines), True, [citation], notes=notes)


def _short_answer(info: QueryInfo, s: Sentence, bound, lang: str) -> str:
    if bound is not None:
        q = bound[0]
        figure = f"{q.raw}{q.unit}" if q.unit and not q.raw.endswith(q.unit) else q.raw
        return f"{figure} [1]"
    if info.qtype == "yesno":
        neg = bool(_NEGATION.search(s.text))
        return (("No" if neg else "Yes") if lang == "en" else ("没有" if neg else "有")) + " [1]"
    if info.qtype == "who":
        m = _PERSON.search(s.text)
        if m:
            return f"{m.group(1)} [1]"
    return f"{s.text} [1]"

"""Extractive answerer: pick the evidence sentence, bind the asked-about figure, quote and cite it."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.answer.candidates import (
    CLAUSE_SPLIT,
    Sentence,
    bind,
    first_of_kind,
    fits,
    quantities,
    read_sentences,
    row_figures,
    run_on_table,
)
from bot.answer.compose import (
    cannot_combine,
    english_sentence,
    filter_conflict,
    fmt_citation,
    help_message,
    not_stated,
    scope_message,
)
from bot.answer.concepts import GENERIC, SOFT_WEIGHT, Concept, concepts, coverage, is_generic
from bot.answer.contact import contact_field
from bot.answer.intent import (
    COUNT,
    DATE,
    FREE,
    MONEY,
    PERCENT,
    PERSON,
    PHONE,
    YESNO,
    Intent,
    intent,
    is_noise,
    is_vague,
)
from bot.answer.semantic import MAX_CLAUSES, similarities
from bot.answer.signature import REPORT_DATE, page_date_span, signature_span
from bot.answer.table import APPLICATIONS, ROW_TERMS, named_row_terms, row_fit, row_label
from bot.facts.template import T3_COLUMNS, t2_row, t2_row_asked
from bot.models import Answer, Citation, Document, Figure
from bot.retrieve import QueryInfo, Retrieval
from bot.retrieve.query import places_in_english
from bot.retrieve.retriever import names_place, places_in
from bot.text import normalize, says, to_simplified

_NEGATION = re.compile(r"未|没有|无|不存在|零|均为0|为0|0件|0起|0元")
_PERSON = re.compile(r"([\u4e00-\u9fff]{2,3})(?:同志)")
_CHANGE = re.compile(r"同比|较上年|比上年|较去年|比去年|增长|增加|下降|减少|提高|降低")


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
    it = replace(intent(info), places=_places_asked(info, retriever))
    cs, _ = concepts(info, retriever)
    sentences = read_sentences(retrieval, docs, retriever)
    if retrieval.scope_note.startswith(MENTIONED):  # another body's report: only what it says about the place
        place = retrieval.scope_note[len(MENTIONED):]
        sentences = [s for s in sentences if names_place(place, places_in(s.text))]
    signed = _signed(info, it, retrieval, docs)
    ranked = [signed] if signed else _rerank(info, _score(info, it, sentences, cs), retriever)
    top = _headed(ranked)
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


def _headed(ranked: list[Candidate]) -> Candidate | None:
    """The best candidate; when it lacks the counted noun asked, one that says it with as much of the question
    ("其中…工作动态362条" under "全年主动公开政府信息数465条，内容涉及…工作动态…")."""
    if not ranked or ranked[0].head_ok:
        return ranked[0] if ranked else None
    return next((c for c in ranked[1:] if c.head_ok and c.coverage >= ranked[0].coverage - 0.05), ranked[0])


def _places_asked(info: QueryInfo, retriever) -> tuple[str, ...]:
    """The places the question names (cores: "沭阳"), in Chinese or as the index's pinyin of them."""
    cores = set(places_in(info.norm)[0])
    if retriever is not None and info.lang == "en":
        cores |= places_in_english(info.text, retriever.catalog)
    return tuple(sorted(cores))


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
        cov, head_ok = coverage(normalize(m["what"]), [c for c in cs if c.weight > SOFT_WEIGHT])
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
    span = (signature_span(doc) or page_date_span(doc)) if doc else None
    if span is None:
        return None
    start, end, d_start, d_end = span
    text = doc.text[start:end]
    sentence = Sentence(doc, "", start, end, text, normalize(text), 0, 0.0)
    bound = first_of_kind(text, ("date",))
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
    only_generic = all(all(is_generic(a) for a in c.alternatives) for c in cs)
    question = info.norm + " " + " ".join(info.terms)
    own_level = bool(_OWN_LEVEL.search(info.norm))
    row_words = _row_words_asked(info, it)
    t2_asked = t2_row_asked(info.norm)  # a row of table 二 named ("其他主动公开文件", "normative documents")
    for s in sentences:
        if _title_piece(s) or (only_generic and it.atype == FREE) or not _WORDED.search(s.text) or run_on_table(s):
            continue  # a title line answers nothing; generic words alone cannot pick a fact; a row of bare
            # figures ("0 | 0 | 1 | 0") cannot show in its quote what it counts
        cov, head_ok = coverage(s.norm + " " + normalize(_field_lead(s) + " " + s.section), cs)
        topic, _ = coverage(normalize(s.section), cs)  # the section is about what was asked
        score = (cov + 0.1 * topic + 0.15 * s.dense + 0.1 / (1 + s.rank)
                 + (0.2 if head_ok and any(c.head for c in cs) else 0))
        bound = bind(s, cs, it)
        if bound is None and it.atype not in (FREE, YESNO, PERSON):
            continue
        if it.atype == PERSON and not _PERSON.search(s.text) and "任组长" not in s.text:
            continue
        if it.atype == YESNO and not _says_it_itself(s, cs):
            continue
        label = row_label(s.text)
        if row_words and not label and not any(says(s.norm, w) for w in row_words):
            continue  # a template row asked of applications ("no ready-made information"): prose must say it, not
            # only its parent's total ("无法提供1078件")
        if own_level and bound is not None and _WIDE_LEVEL.search(s.text[:bound[1][1]]):
            continue  # the body itself asked ("本级", "itself"), a figure for all its area given ("全市…3646件")
        if bound is not None and it.atype in (COUNT, MONEY, PERCENT) and (_unread_word_may_pick(s, bound, cs, it)
                                                                      or _part_after_lead(s, bound, cs, it)):
            continue
        if bound is not None and it.atype in (COUNT, MONEY, PERCENT):
            # the figure sits right after the asked term, and the clauses around it say everything asked
            local = _local_coverage(s.text, bound, cs)
            if local < NEAR_MIN and cov < 0.99 and " | " not in s.text:
                continue  # nothing asked stands near the figure, and its section does not say all that was asked
            score += (0.25 if bound[2] and local > 0.99 else 0) + LOCAL_WEIGHT * local
            pot = _part_or_total(s.text, bound)
            # (the question names a part when the part's clause says what was asked, not when only the list after a
            # total does: "…N条,内容涉及…工作动态…" / "其中…工作动态M条")
            pot = 0.0 if (pot < 0 and local >= 0.5) or (pot > 0 and _asked_after_only(s, bound, cs)) else pot
            score += pot - (UNIT_MISMATCH if _other_scale(bound[0], it) else 0)
            head_ok = head_ok and _head_before(s, bound, cs)
        row = row_fit(label, question) if it.atype == COUNT else 0.0
        if row < 0 or _another_t2_row(label, t2_asked):
            continue  # another row of the template than the one asked: never its figure
        out.append(Candidate(score + ROW_WEIGHT * row, cov, head_ok or row > 0, s, bound, row))
    out.sort(key=lambda c: -c.score)
    return out


def _another_t2_row(label: str, asked: str | None) -> bool:
    """A row of table 二 other than the one the question names ("规范性文件 | …" asked 其他主动公开文件)."""
    return bool(asked and label) and t2_row(label) not in (None, asked)


def _row_words_asked(info: QueryInfo, it: Intent) -> list[str]:
    """The Chinese words of the specific template rows a count of applications asks ("部分公开", "不掌握")."""
    if it.atype != COUNT or not APPLICATIONS.search(info.norm):
        return []
    rows = named_row_terms(info.norm) - {"本年新收", "办理结果总计"}
    return [w for t in rows for w in ROW_TERMS[t] if not w.isascii()]


# a field of a list the sentence splitter cut at "；": "电话：0591-…；" of "…请与…办公室联系，联系地址：…；电话：…"
_FIELD = re.compile(r"^[^\s，,。；;：:]{1,10}[：:]")
_SENTENCE_START = re.compile(r"[。！？!?\n]")


def _field_lead(s: Sentence) -> str:
    """What the sentence a field belongs to says before its fields (the fields' subject); for a sentence of parts
    ("其中…工作动态362条。"), the sentence of their whole before it; '' for other sentences."""
    if _OF_THEM.match(s.text):
        return _last_sentence(s.doc.text[max(0, s.start - 300):s.start].rstrip("。；;！!？? \n"))
    if not _FIELD.match(s.text):
        return ""
    return _last_sentence(s.doc.text[max(0, s.start - 200):s.start])


def _last_sentence(before: str) -> str:
    """What `before` says after its last sentence end (all of it when it has none)."""
    ends = list(_SENTENCE_START.finditer(before))
    return before[ends[-1].end():] if ends else before


_OF_THEM = re.compile(r"^\s*其中")  # "其中信息公开年度报告1条、…工作动态362条": parts of the sentence before


_PARTS_NEXT = re.compile(r"[。；;\s]*(其中|包括)")  # the next sentence lists the parts: "…N条。其中概况类M条…"
_PARTS_FOLLOW = re.compile(r"^[^。；;]{0,8}?(其中|包括|含)")  # "393 件，其中包括：…"


def _asked_after_only(s: Sentence, bound, cs: list[Concept]) -> bool:
    """An asked word stands after the figure and none before it: the words list what the total holds."""
    cut = bound[1][0] + bound[0].end
    before, after = normalize(s.text[:cut]), normalize(s.text[cut:])
    specific = [a for c in cs if c.weight > SOFT_WEIGHT for a in c.alternatives if a not in GENERIC]
    return any(says(after, a) for a in specific) and not any(says(before, a) for a in specific)


def _clause_of(text: str, q) -> tuple[int, int]:
    """The span of the clause a figure of `text` stands in."""
    ends = [m.end() for m in CLAUSE_SPLIT.finditer(text, 0, q.start)]
    return (ends[-1] if ends else 0), q.end


def _unread_word_may_pick(s: Sentence, bound, cs: list[Concept], it: Intent) -> bool:
    """The question has a word no dictionary renders ("followers", "interpretation") and the sentence states several
    figures of the asked kind: that word may name any of them ("关注人数", "解读类信息"), so none is the answer unless
    the asked words touch the figure."""
    if bound[2] or " | " in s.text or not any(a.startswith("\x00") for c in cs for a in c.alternatives):
        return False
    if not any(a not in GENERIC and says(s.norm, a) for c in cs for a in c.alternatives):
        return True  # only generic words ("公开") of the question are in the sentence: the unread word is all it asks
    if _PARTS_NEXT.match(s.doc.text, s.end) and not _PARTS_NEXT.match(s.text):
        return True  # the next sentence lists the parts of its total ("…N条。其中概况类M条…")
    offset = bound[1][0] + bound[0].start  # where the bound figure stands in the sentence
    figures = [q for q in quantities(s.text) if fits(q, it)]
    if len(figures) < 2:
        return False
    after = s.text[bound[1][0] + bound[0].end:][:12]
    if _part_or_total(s.text, bound) > 0 or _PARTS_FOLLOW.search(after):
        return True  # a total with its parts listed: the unread word may name a part ("解读类信息M条")
    mine = _own_clause_coverage(s.text, bound[1][0], offset + len(bound[0].raw), cs)
    rivals = [q for q in figures if q.start != offset and _own_clause_coverage(s.text, *_clause_of(s.text, q), cs) >= mine]
    return bool(rivals)  # the asked words it reads do not single the figure out


# a lead naming the whole, then the first part with its own label: "所有办结的信息公开申请中同意公开答复 9 件"
_LEAD_IN = re.compile(r"^(?P<lead>[^，,；;。]{2,30}?(?:当中|之中|中))(?P<label>[^，,；;。\d]{2,12}?)\s*$")


def _part_after_lead(s: Sentence, bound, cs: list[Concept], it: Intent) -> bool:
    """The asked words only in a lead before 中, the figure labelled by words of its own that the question does not
    say, more figures of its kind after it: one of the parts ("…申请中同意公开9件，部分公开0件，…"), not the whole."""
    clause = s.text[bound[1][0]:bound[1][1]]
    m = _LEAD_IN.match(clause[:bound[0].start])
    if m is None or len([q for q in quantities(s.text[bound[1][1]:]) if fits(q, it)]) < 2:
        return False
    asked = [c for c in cs if c.weight > SOFT_WEIGHT and not all(is_generic(a) for a in c.alternatives)]
    return coverage(normalize(m["label"]), asked)[0] == 0 and coverage(normalize(m["lead"]), asked)[0] > 0


def _own_clause_coverage(text: str, start: int, end: int, cs: list[Concept]) -> float:
    return coverage(normalize(text[start:end]), cs)[0]


# the body at its own level ("市政府本级", "the government itself"), and a figure for its whole area ("全市共…")
_OWN_LEVEL = re.compile(r"本级|本机关|机关本身|\bitself\b|\bits own\b|\bthemselves\b", re.I)
_WIDE_LEVEL = re.compile(r"全[市县区省州旗盟镇乡]|各级|全系统|\b(?:city|county|province|district)-?wide\b", re.I)


# a figure given as a total ("全年共公开各类政府信息3000条") or as a part of one ("其中:…渠道公开900余条")
_TOTAL_LEAD = re.compile(r"(共|共计|累计|总计|合计|全年|总数)[^,，;；。]{0,12}$")
_PART_LEAD = re.compile(r"^\W*(其中|包括)")


_WORDED = re.compile(r"[\u4e00-\u9fffA-Za-z]{2}")


LOCAL_WEIGHT = 0.3
NEAR_MIN = 0.1  # below it, nothing asked stands near a figure (one character of a dictionary guess: 理 of 管理员)
UNIT_MISMATCH = 0.3


def _local_coverage(text: str, bound, cs: list[Concept]) -> float:
    """Coverage of the figure's clause and the one before it: in a long sentence listing several things
    ("五保对象10631人,发放资金…;医疗救助49237人,发放资金…") the asked words must stand near the figure."""
    if " | " in text:
        return coverage(normalize(text), cs)[0]  # a table row: its label and headers say what a cell counts
    start = bound[1][0]
    before = [m.end() for m in CLAUSE_SPLIT.finditer(text, 0, max(0, start - 1))]
    previous = [q.end for q in quantities(text) if q.end <= start]
    if not previous:
        # no figure before it: the clauses before all lead up to it, listed ones too ("抢险救灾、优抚…的管理、使用和
        # 分配情况类信息6条")
        return coverage(normalize(text[:bound[1][1]]), cs)[0]
    return coverage(normalize(text[(before[-1] if before else 0):bound[1][1]]), cs)[0]


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
    qs = [q for q in quantities(text) if q.kind == "number" and q.unit]
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
    return coverage(s.norm, cs)[0] >= MIN_COVERAGE


def _title_piece(s: Sentence) -> bool:
    """The report's title line, or a piece of it that a line break cut ("2025 年上海市人民政府办公厅政府信息公开")."""
    text = re.sub(r"\s+", "", s.norm)
    return bool(text) and text in re.sub(r"\s+", "", normalize(s.doc.title or ""))


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
    spans = [span for _, span in row_figures(text, Intent(COUNT))]
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
        neg = bool(_NEGATION.search(s.norm))  # (normalized: 沒有 of a traditional report is 没有)
        return (("No" if neg else "Yes") if info.lang == "en" else ("没有" if neg else "有")) + " [1]"
    if it.atype == PERSON:
        m = _PERSON.search(s.text)
        if m:
            return f"{simplify(m.group(1))} [1]"
    value = contact_field(info.norm, quote) or contact_field(info.norm, s.text)
    return f"{simplify(value or s.text)} [1]"



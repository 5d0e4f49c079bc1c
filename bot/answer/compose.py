"""Composition: the messages the reader gives when it shows no figure (scope, filters, vague questions,
aggregates, not stated) and the English sentence around a figure."""

from __future__ import annotations

import re

from bot.models import Citation, Document
from bot.retrieve import Retrieval


def fmt_citation(c: Citation, doc: Document) -> str:
    where = f" › {c.section}" if c.section else ""
    return f"[{c.n}] {doc.title or doc.id}{where} ({c.source})"


def scope_message(retrieval: Retrieval, docs: dict[str, Document], lang: str, mentioning=None) -> str:
    """Why no report answers. `mentioning(place)`: the ids of the reports whose text names a place (the
    retriever's own index of mentions, bot.retrieve.Retriever.docs_mentioning)."""
    info = retrieval.info
    covered = sorted({(d.body or d.region or d.id, d.year) for d in docs.values()}, key=lambda x: (x[0], x[1] or 0))
    if retrieval.scope_note.startswith("unknown_place:"):
        place = retrieval.scope_note.split(":", 1)[1]
        listing = "; ".join(f"{b} {y or ''}".strip() for b, y in covered[:12])
        return (f"The indexed reports do not cover {place}. They cover: {listing}." if lang == "en"
                else f"已收录的报告不涉及{place}。现有报告:{listing}。")
    if retrieval.scope_note == "no_year_for_place" and info.doc_ids:
        years = sorted({docs[d].year for d in info.doc_ids if d in docs and docs[d].year})
        name = docs[info.doc_ids[0]].body or docs[info.doc_ids[0]].region
        ys = ", ".join(str(y) for y in years)
        return (f"There is no {info.year} report of {name} in the index; its reports cover {ys}." if lang == "en"
                else f"索引中没有{name}{info.year}年的报告;已收录年份:{ys}。")
    if retrieval.scope_note == "no_year_for_place" and info.unknown_place:
        return _mentioned_elsewhere(info, docs, lang, mentioning(info.unknown_place) if mentioning else [])
    if retrieval.scope_note == "no_year":
        ys = ", ".join(str(y) for y in sorted({d.year for d in docs.values() if d.year}))
        return (f"No indexed report covers {info.year}; the reports cover {ys}." if lang == "en"
                else f"没有收录{info.year}年的报告;已收录年份:{ys}。")
    return ("No indexed report matches the selected filters." if lang == "en" else "没有符合所选条件的报告。")


def _mentioned_elsewhere(info, docs: dict[str, Document], lang: str, mentioned: list[str]) -> str:
    """No report of the place itself; other bodies' reports name it in their text, none of them for that year."""
    place = info.unknown_place
    named = sorted({(docs[i].body or i, docs[i].year) for i in mentioned if i in docs}, key=lambda x: x[1] or 0)
    listing = "; ".join(f"{b} {y or ''}".strip() for b, y in named[:8])
    return (f"No indexed report is {place}'s own; {place} is named in the text of: {listing}, none of them for "
            f"{info.year}." if lang == "en" else
            f"索引中没有{place}自己的报告;正文提到{place}的报告:{listing},其中没有{info.year}年的。")


def filter_conflict(retrieval: Retrieval, docs: dict[str, Document]) -> str:
    """A message when the asker's filters exclude what the question names (filter year 2009, question 2024)."""
    info, f = retrieval.info, retrieval.filters
    en = info.lang == "en"
    if f.year is not None and info.year is not None and f.year != info.year:
        return (f"The year filter ({f.year}) excludes the {info.year} reports this question asks about: clear the "
                f"filter or set it to {info.year}." if en else
                f"所选的年份筛选({f.year}年)排除了问题所问的{info.year}年报告:请清除筛选或改为{info.year}年。")
    if f.body and info.doc_ids and not any(f.body in (docs[d].body, docs[d].region) for d in info.doc_ids
                                           if d in docs):
        name = docs[info.doc_ids[0]].body or docs[info.doc_ids[0]].region if info.doc_ids[0] in docs else ""
        return (f"The body filter ({f.body}) excludes {name}, which this question asks about: clear the filter."
                if en else f"所选的机关筛选({f.body})排除了问题所问的{name}:请清除筛选。")
    return ""


def help_message(lang: str, noise: bool) -> str:
    if lang == "en":
        lead = ("That does not look like a question about the reports. " if noise else
                "That question is too general for me to answer from one passage. ")
        return (lead + "I answer questions about what the indexed government-information-disclosure annual reports "
                "state — one figure or fact of one report at a time, with the passage quoted and cited. Name a place "
                "or body, a year and what you want to know, e.g. \"How many applications did Huai'an receive in "
                "2024?\" or \"淮安市2024年行政复议有多少件?\".")
    lead = "这看起来不是关于年度报告的问题。" if noise else "这个问题太笼统,无法用报告中的某一段来回答。"
    return (lead + "我可以回答已收录的政府信息公开工作年度报告中写明的数字和事实(每次一个),并引用原文、注明出处。"
            "请说明地区或机关、年份和想了解的内容,例如:「淮安市2024年收到多少政府信息公开申请?」")


def not_stated(retrieval: Retrieval, docs: dict[str, Document], lang: str) -> str:
    ids = list(dict.fromkeys(h.chunk.doc_id for h in retrieval.hits))[:3]
    names = "; ".join(f"{docs[i].title or i} ({i})" for i in ids)
    return (f"The reports do not state this. The closest reports searched: {names}. None of their passages gives "
            "what was asked, so no figure is offered." if lang == "en" else
            f"报告中没有说明这一点。检索到的最相关报告:{names};其中没有回答该问题的内容,因此不提供数字。")


def cannot_combine(lang: str, found: list[str]) -> str:
    """An aggregate (sum, difference, change, share) that no stated figure answers: say so, list what was found."""
    listing = "; ".join(found)
    if lang == "en":
        return ("This needs several figures combined (a sum, difference, change or share), and I could not find "
                "every one of them stated alike, so no single figure is given as the answer."
                + (f" The figures the reports state: {listing}." if found else ""))
    return ("这个问题需要合并计算多个数字(求和、相差、变化或占比),但没有找到全部所需且口径一致的数字,因此不给出单一数字作为答案。"
            + (f"报告中写明的相关数字:{listing}。" if found else ""))


_IRREGULAR = {"get": "got", "make": "made", "hold": "held", "have": "had", "do": "did", "give": "gave",
              "take": "took", "begin": "began", "send": "sent", "spend": "spent", "pay": "paid", "build": "built",
              "set": "set", "put": "put", "run": "ran", "see": "saw", "write": "wrote", "issue": "issued"}
_EN_Q = re.compile(r"^how (?:many|much) (?P<noun>.+?) (?:did|does|do) (?P<tail>.+)$", re.I)
_VERBS = frozenset("receive get accept handle process publish release allocate collect issue answer reply make "
                   "hold operate produce file submit disclose have spend charge open launch conduct organize organise "
                   "train carry register record post send take give revise repeal abolish draft adopt approve "
                   "impose investigate resolve settle refuse reject grant provide run".split())


def _past(verb: str) -> str:
    v = verb.lower()
    if v in _IRREGULAR:
        return _IRREGULAR[v]
    if v.endswith("e"):
        return v + "d"
    if re.search(r"[^aeiou]y$", v):
        return v[:-1] + "ied"
    return v + "ed"


def english_sentence(question: str, figure: str, quote: str) -> str:
    """'How many requests did Mudanjiang's civil affairs bureau receive online in 2009?' with 29 ->
    "Mudanjiang's civil affairs bureau received 29 requests online in 2009." Numbers the quote does not
    contain (the year, usually) are left out; '' when the question is not of that shape."""
    m = _EN_Q.match(question.strip().rstrip("?？. "))
    if not m:
        return ""
    tail = m.group("tail").split(" ")
    k = next((i for i, w in enumerate(tail) if i > 0 and w.lower() in _VERBS), None)
    if k is None:
        return ""
    subj, verb, rest = " ".join(tail[:k]), tail[k], "".join(" " + w for w in tail[k + 1:])
    for y in re.findall(r"\d{4}", rest):
        if y not in quote:
            rest = re.sub(r"\s*\b(?:in|for|during|of)?\s*" + y + r"\b", "", rest)
    sentence = f"{subj} {_past(verb)} {figure} {m.group('noun')}{rest}".strip()
    if any(n not in quote for n in re.findall(r"\d+", sentence)):
        return ""  # another number the quote may not hold
    return sentence[0].upper() + sentence[1:] + "."

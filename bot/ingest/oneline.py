"""Reports crawled as one long line: headings inline ("一、总体情况（一）主动公开…2.…"), sentences run together.

A long line is cut before each inline heading number of the report's outline, so sections, sentences and
chunks come out as they do for a well-formed page. Only the outline's own numbering is used.
"""

from __future__ import annotations

import re

from bot.ingest.readers import Line

LONG_LINE = 300  # shorter lines are ordinary paragraphs
_HEADING_TITLE_MAX = 24  # "一、总体情况" before "（一）…": a heading title is short
_BREAK_BEFORE = "。；;！!？?）)」”』 \u3000"
# a heading number inside a line: matches "二、" / "（三）" (not "第（一）项")
_INLINE = re.compile(r"(?<![第条款项])(?:[一二三四五六七八九十]{1,2}、|[（(][一二三四五六七八九十]{1,2}[）)])")
# an arabic item number, found at every position (zero width): "2." in "…70000072.没有现成…" as well as "72."
_ARABIC = re.compile(r"(?<![第条款项.])(?=([1-9]\d?)[、.．](?![\d%]))")  # never "02."
# a heading number and a title of up to 22 characters ending in an outline word: "（一）主动公开情况"
_TITLE_END = re.compile(r"^(?:[一二三四五六七八九十]{1,2}、|[（(][一二三四五六七八九十]{1,2}[）)])[^。；;，,]{1,22}(?:情况|事项|问题)")
_STOP = re.compile(r"[。；;！？!?]")


def _candidates(text: str) -> list[tuple[int, int | None]]:
    """(position, arabic number or None for a Chinese heading number) of every possible heading start."""
    found = [(m.start(), None) for m in _INLINE.finditer(text)]
    found += [(m.start(), int(m.group(1))) for m in _ARABIC.finditer(text)]
    return sorted(found)


def _cuts(text: str) -> list[int]:
    """Where to cut: before a heading that follows a sentence end, a short heading title, or (for the next
    item of a numbered list, "2." after "1.") a table row's figures."""
    cuts, seg_start, seg_is_heading, last_item = [], 0, False, 0
    for i, number in _candidates(text):
        if i == 0 or (cuts and i <= cuts[-1]):
            seg_is_heading = seg_is_heading or i == 0
            continue
        prev = text[i - 1]
        if number is None:
            ok = prev in _BREAK_BEFORE or prev.isdigit() or (seg_is_heading and i - seg_start <= _HEADING_TITLE_MAX)
        else:
            next_item = number == last_item + 1 or number == 1
            ok = next_item and (prev in _BREAK_BEFORE or prev.isdigit() or not prev.isascii()) and \
                not (prev.isdigit() and number == 1)
        if ok:
            cuts.append(i)
            seg_start, seg_is_heading = i, True
            last_item = number if number is not None else 0
    return cuts


def _title_apart(piece: str) -> list[str]:
    """"（一）主动公开情况2023年，…" -> the heading, then its text: the template's outline titles end in
    情况 / 事项 / 问题 (总体情况, 其他需要报告的事项, 存在的主要问题及改进情况)."""
    m = _TITLE_END.match(piece)
    if m and m.end() < len(piece) and not _STOP.search(piece[:m.end()]):
        return [piece[:m.end()], piece[m.end():].strip()]
    return [piece]


def split_long_line(text: str) -> list[str]:
    """A crawled one-line report as lines, one per outline item; short lines come back unchanged."""
    if len(text) < LONG_LINE:
        return [text]
    cuts = _cuts(text)
    bounds = [0] + cuts + [len(text)]
    pieces = [text[a:b].strip() for a, b in zip(bounds, bounds[1:]) if text[a:b].strip()]
    return [part for piece in pieces for part in (_title_apart(piece) if _INLINE.match(piece) else [piece]) if part]


def unflatten(lines: list[Line]) -> list[Line]:
    out: list[Line] = []
    for line in lines:
        if line.is_table_row:
            out.append(line)
        else:
            out.extend(Line(t) for t in split_long_line(line.text))
    return out

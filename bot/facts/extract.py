"""Statutory-table facts from a Document: one Fact per value of tables 二, 三 and 四, with its canonical place in
the template and the offsets of its line and cell in Document.text (so a citation can quote it).

Table rows come from the readers as "label > sub | header: value | …"; rows whose cell separators were lost
("（一）予以公开 230 000023", a text paragraph) go through the splitter (bot.facts.split)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace

from bot.facts import template as tpl
from bot.facts.split import DIGIT_RUN, Split, groups_for, resolve_table, split_row
from bot.models import Document, Paragraph
from bot.text import CJK

_CELL = re.compile(r"[^|]+")
_VALUE = re.compile(r"^(?:(?P<head>.*?):\s*)?(?P<value>[-+]?\d[\d,，]*(?:\.\d+)?)$")
# a text line that is a template row whose separators were lost: label, then digits and spaces only
_FLAT = re.compile(rf"^(?P<label>.*?[{CJK}）)”\"])[\s:：]*(?P<run>\d[\d\s,，]*)$")


@dataclass(frozen=True)
class Fact:
    doc_id: str
    table: str  # "二" | "三" | "四"
    row: str  # canonical template row: "三.（三）.1", "行政复议", "行政处罚"
    row_label: str  # as written in the report
    column: str  # canonical: 自然人…总计 / 结果维持…总计 / 本年制发件数…
    value: int | float
    unit: str  # 件 / 万元
    start: int  # the line in Document.text
    end: int
    cell_start: int  # the cell ("总计: 43") in Document.text; the line when the row was flattened
    cell_end: int
    uncertain: bool = False  # a flattened row whose split is not unique (the value agrees in every split)
    body: str = ""
    year: int | None = None

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class _Row:
    """One parsed row before it becomes facts."""

    para: Paragraph
    table: str
    label: str
    cells: list[tuple[str, str, int, int]]  # (header, value text, start, end)
    row: str | None = None
    split: Split | None = None  # flattened rows only
    filled: bool = False  # a table-三 row whose label was lost (a page break): placed by the template's order


def _number(text: str) -> int | float:
    text = text.replace(",", "").replace("，", "")
    return float(text) if "." in text else int(text)


def _parse_table_row(p: Paragraph) -> tuple[str, list[tuple[str, str, int, int]]]:
    """The row's label and its value cells; a blank cell between two values keeps its place as a cell with no
    value ("本年新收 | 15 | | | | | | 15": 15 is 自然人's, 15 总计's), a blank at the end is dropped."""
    label, cells, blanks = "", [], []
    for m in _CELL.finditer(p.text):
        part = m.group(0).strip()
        v = _VALUE.match(part)
        offset = p.start + m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
        if v is None:
            if not cells and part:
                label = part
            elif cells and not part:
                blanks.append(("", "", offset, offset))
            continue
        cells += blanks
        blanks = []
        cells.append(((v.group("head") or "").strip(), v.group("value"), offset, offset + len(part)))
    return label, cells


def _table_of(cells, label: str, section: str) -> str | None:
    votes = [t for t in (tpl.table_of_header(h) for h, *_ in cells if h) if t]
    if votes:
        return max(set(votes), key=votes.count)
    if len(cells) == 7 and tpl.t3_row(label):
        return "三"
    if len(cells) in (5, 15) and ("复议" in section or "诉讼" in section):
        return "四"
    return None


def _flat_row(p: Paragraph, previous: str) -> _Row | None:
    """A text paragraph that is a table-三 row with its separators lost, split by the identities."""
    m = _FLAT.match(p.text.strip())
    if m is None or len(DIGIT_RUN.findall(m.group("run"))) != 1:
        return None
    row = tpl.t3_row(m.group("label"), previous)
    if row is None:
        return None
    out = _Row(p, "三", m.group("label").strip(), [], row)
    out.split = split_row(m.group("run"), 7, groups_for("三", 7))
    return out


# a table-二 row written as text: "行政规范性文件 12 30 85", "行政事业性收费 1234.5678"
_T2_TEXT = re.compile(r"^(?P<label>[\u4e00-\u9fff（）()]{2,12})(?P<values>(?:\s+\d+(?:\.\d+)?)+)\s*$")


def _t2_text_row(p: Paragraph, header: list[tuple[str, str]]) -> _Row | None:
    """A table-二 row whose cells are separated by spaces, read by the header line above it (same count only)."""
    m = _T2_TEXT.match(p.text)
    row = tpl.t2_row(m.group("label")) if m else None
    if row is None:
        return None
    values = list(re.finditer(r"\d+(?:\.\d+)?", p.text[m.start("values"):]))
    if len(values) != len(header):
        return None
    base = p.start + m.start("values")
    cells = [(col, v.group(0), base + v.start(), base + v.end()) for (col, _), v in zip(header, values)]
    return _Row(p, "二", m.group("label"), cells, row)


def _t2_pipe_row(p: Paragraph, header: list[tuple[str, str]]) -> _Row | None:
    """A table-二 row of a table whose header row came as its own row ("信息内容 | 本年新 制作数量 | …"), its cells
    bare values ("行政许可 | 8 | 5 | N |", a change signed: "| 2 | +2 | 114 |"); a "-" cell states nothing."""
    parts = [(m.start(), m.group(0)) for m in re.finditer(r"[^|]+", p.text)]
    if not parts or (row := tpl.t2_row(parts[0][1])) is None:
        return None
    values = [(at, text) for at, text in parts[1:] if text.strip()]
    if len(values) != len(header) or not all(re.fullmatch(r"\s*([+-]?\d+(?:\.\d+)?|[-—–/])\s*", t) for _, t in values):
        return None
    cells = []
    for (col, _), (at, text) in zip(header, values):
        v = re.search(r"-?\d+(?:\.\d+)?", text)
        if v is not None:
            cells.append((col, v.group(0), p.start + at + v.start(), p.start + at + v.end()))
    return _Row(p, "二", parts[0][1].strip(), cells, row)


# a flattened table run into a paragraph: its template headers, then label-run pairs ("…予以公开5000005（二）…")
_RUN = re.compile(r"\d+(?:\.\d+)?(?:[ \t\u3000]+\d+(?:\.\d+)?)*")  # "6000006", "5 0 0 0 0 0 5", "13　　8　　49"
_T2_NAMES = frozenset(("规章", "行政规范性文件", "行政许可", "行政处罚", "行政强制", "行政事业性收费"))
_AFTER_RUN = re.compile(rf"[.．]\s*[{CJK}“]")  # "00000002.其他法律": the run's last digit numbers the next row
_UNIT_AFTER = re.compile(r"\s*(?:件|个|条|项|人|次|万|元|%|％|家|户|场|篇|年|月|日|号)")


def _run_on_segments(text: str) -> list[tuple[int, int, int]]:
    """(label start, run start, run end) of each label-run pair of a paragraph holding a flattened table: a run
    is digits followed by no unit; a single digit before "." is the next row's number, not a value."""
    out, label_start = [], 0
    for m in _RUN.finditer(text):
        start, end = m.span()
        if _UNIT_AFTER.match(text, end):
            continue
        if _AFTER_RUN.match(text, end) and "." not in m.group():
            if end - start == 1:
                continue  # "1.属于国家秘密": a row number
            end -= 1
        if start > label_start:
            out.append((label_start, start, end))
        label_start = end
    return out


def _run_on_rows(p: Paragraph, previous: str) -> list[_Row]:
    """The template rows of a paragraph into which a crawler ran a whole statutory table: each label with the digit
    run after it, split by the row's column count and identities (table 二: 3 or 1 columns; 三: 7; 四: 15)."""
    if not any(h in p.text for h in tpl.RUN_ON_HEADERS):
        return []
    rows: list[_Row] = []
    for ls, rs, re_ in _run_on_segments(p.text):
        label, run = p.text[ls:rs], p.text[rs:re_]
        seg = Paragraph(p.text[ls:re_], p.start + ls, p.start + re_, p.section)
        row = _run_on_row(seg, label.strip(), run, previous)
        if row is not None:
            rows.append(row)
            previous = row.row or previous
    return rows


def _run_on_row(seg: Paragraph, label: str, run: str, previous: str) -> _Row | None:
    if "复议" in label and "诉讼" in label and "结果维持" in label:
        split = split_row(run, 15, groups_for("四", 15))
        values = split.values
        if values is None:
            return None
        cells = [(f"{tpl.T4_ROWS[i // 5]}/{tpl.T4_COLUMNS[i % 5]}", str(v), seg.start, seg.end)
                 for i, v in enumerate(values)]
        return _Row(seg, "四", "行政复议、行政诉讼", cells)
    tail = label[label.rfind("信息内容"):] if "信息内容" in label else label
    if (t2 := tpl.t2_row(tail)) is not None and ("信息内容" in label or previous in _T2_NAMES):
        return _t2_run_on(seg, run, t2)
    row = tpl.t3_row(label, previous)
    if row is None:
        return None
    out = _Row(seg, "三", label, [], row)
    out.split = split_row(run, 7, groups_for("三", 7))
    return out


def _t2_run_on(seg: Paragraph, run: str, row: str) -> _Row | None:
    """A table-二 row run on: 规章 and 行政规范性文件 have three columns, the others one; a split that is not the only
    one the row's rule holds for gives nothing."""
    columns = tpl.t2_columns(row)
    if len(columns) == 1:
        values = [run]
    else:
        split = split_row(run, 3)
        held = [v for v in split.splits if tpl.t2_documents_hold(*v)]
        if len(held) != 1 or split.overflow:
            return None
        values = [str(v) for v in held[0]]
    cells = [(col, v, seg.start, seg.end) for col, v in zip(columns, values)]
    return _Row(seg, "二", row, cells, row)


def parse_rows(doc: Document) -> list[_Row]:
    """The template rows of a document, in reading order, with their canonical rows."""
    rows: list[_Row] = []
    previous, header = "", []
    for p in doc.paragraphs:
        if p.is_heading:
            continue
        if columns := tpl.t2_header(p.text):
            header = columns
            continue
        if header and not p.is_table_row and (t2 := _t2_text_row(p, header)) is not None:
            rows.append(t2)
            continue
        if header and p.is_table_row and (t2 := _t2_pipe_row(p, header)) is not None:
            rows.append(t2)
            continue
        if p.is_table_row:
            label, cells = _parse_table_row(p)
            table = _table_of(cells, label, " ".join(p.section)) if cells else None
            if table is None and _unlabelled_t3(cells, previous):
                rows.append(_Row(p, "三", label, cells, None, filled=True))  # its row comes from its place
                continue
            if table is None:
                continue
            row = tpl.t3_row(label, previous) if table == "三" else tpl.t2_row(label) if table == "二" else None
            if table != "四" and row is None:
                continue
            rows.append(_Row(p, table, label, cells, row))
        else:
            flat = _flat_row(p, previous)
            if flat is None:
                run_on = _run_on_rows(p, previous)
                rows += run_on
                previous = (run_on[-1].row or previous) if run_on else previous
                continue
            rows.append(flat)
        previous = rows[-1].row or previous
    return _placed(rows)


def _unlabelled_t3(cells, previous: str) -> bool:
    """Seven bare values inside table 三 (the row above was one of its rows): a row whose label was cut off."""
    return len(cells) == 7 and all(not h for h, *_ in cells) and previous[:1] in ("一", "二", "三")


def _leaves() -> list[str]:
    """Table 三's rows that hold values, in template order (a row split into grounds holds none itself)."""
    return [r for r in tpl.T3_ROWS if not any(o.startswith(r + ".") for o in tpl.T3_ROWS)]


def _placed(rows: list[_Row]) -> list[_Row]:
    """Rows whose label was lost take the template rows missing between their labelled neighbours, when there
    are exactly as many of one as of the other; otherwise they are dropped."""
    leaves = _leaves()
    out, pending, last = [], [], -1
    for r in rows:
        if r.filled:
            pending.append(r)
            continue
        if r.table == "三" and r.row in leaves:
            here = leaves.index(r.row)
            gap = leaves[last + 1:here]
            if pending and len(gap) == len(pending):
                for row, p in zip(gap, pending):
                    p.row = row
                    out.append(p)
            pending, last = [], here
        out.append(r)
    return out


def _cell_facts(doc: Document, r: _Row) -> list[Fact]:
    out = []
    headerless = all(not h for h, *_ in r.cells)
    for i, (head, value, start, end) in enumerate(r.cells):
        if r.table == "三":
            place = tpl.Place("三", r.row, tpl.T3_COLUMNS[i]) if headerless and len(r.cells) == 7 else (
                tpl.Place("三", r.row, c) if (c := tpl.t3_column(head)) else None)
        elif r.table == "四":
            if headerless and len(r.cells) == 15:
                rc = (tpl.T4_ROWS[i // 5], tpl.T4_COLUMNS[i % 5])
            else:  # the row may be named by the heading above a values-only table ("### 行政复议")
                rc = tpl.t4_place(head) or tpl.t4_place(f"{r.para.section[-1] if r.para.section else ''}/{head}")
            place = tpl.Place("四", *rc) if rc else None
        else:
            cu = tpl.t2_column(head)
            place = tpl.Place("二", r.row, *cu) if cu else None
        if place is not None and value:  # a blank cell keeps the columns in place and states nothing
            label = r.label or head.rsplit("/", 1)[0] or place.row
            out.append(Fact(doc.id, place.table, place.row, label, place.column, _number(value), place.unit,
                            r.para.start, r.para.end, start, end, False, doc.body, doc.year))
    return out


def _flat_facts(doc: Document, r: _Row, settled: tuple[int, ...] | None) -> list[Fact]:
    splits = [settled] if settled else r.split.splits
    if not splits or r.split.overflow:
        return []
    uncertain = len(splits) != 1
    p = r.para
    return [Fact(doc.id, "三", r.row, r.label, col, splits[0][i], "件", p.start, p.end, p.start, p.end,
                 uncertain, doc.body, doc.year)
            for i, col in enumerate(tpl.T3_COLUMNS) if all(s[i] == splits[0][i] for s in splits)]


def extract_facts(doc: Document) -> list[Fact]:
    """Every statutory-table value of `doc`. Values of flattened rows split more than one way are given only
    where every split agrees, marked uncertain; rows no split explains give none (see bot.facts.check)."""
    rows = parse_rows(doc)
    flat = {r.row: r.split for r in rows if r.split is not None}
    settled = resolve_table(_table_three_splits(doc, rows)) if flat else {}
    facts: list[Fact] = []
    for r in rows:
        facts.extend(_flat_facts(doc, r, settled.get(r.row)) if r.split is not None else _cell_facts(doc, r))
    placed = {r.row for r in rows if r.filled}
    if placed and not _results_add_up(facts):
        facts = [replace(f, uncertain=True) if f.table == "三" and f.row in placed else f for f in facts]
    return facts


def _results_add_up(facts: list[Fact]) -> bool:
    """Table 三's results (一) to (六), every ground counted, sum to its (七)总计 in the 总计 column: the check
    that rows placed by their order are where they belong."""
    total = {f.row: f.value for f in facts if f.table == "三" and f.column == "总计"}
    results = [r for r in _leaves() if r.startswith("三.") and not r.startswith("三.（七）")]
    return "三.（七）" in total and all(r in total for r in results) and \
        sum(total[r] for r in results) == total["三.（七）"]


def _table_three_splits(doc: Document, rows: list[_Row]) -> dict[str, Split]:
    """Table 三's rows as splits: flattened rows with theirs, ordinary rows as their one certain split."""
    out: dict[str, Split] = {}
    for r in rows:
        if r.table != "三" or r.row in out:
            continue
        if r.split is not None:
            out[r.row] = r.split
            continue
        by_col = {f.column: f.value for f in _cell_facts(doc, r)}
        if all(c in by_col for c in tpl.T3_COLUMNS):
            out[r.row] = Split([tuple(by_col[c] for c in tpl.T3_COLUMNS)])
    return out

"""Each report's statutory tables against the template's identities: row 总计 = sum of the six applicant columns;
a parent row (（七）, （三）…（六）) = sum of its sub-rows; 一 + 二 = 三（七）+ 四 per column; each table-四
总计 = sum of its four results. A Finding names the identity, the two sides, and the facts involved."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from bot.facts import template as tpl
from bot.facts.extract import Fact

_T3_PARTS = tuple(c for c in tpl.T3_COLUMNS if c != "总计")
_T4_PARTS = tuple(c for c in tpl.T4_COLUMNS if c != "总计")


@dataclass(frozen=True)
class Finding:
    doc_id: str
    table: str
    rule: str  # "row_total" | "parent_sum" | "balance" | "t4_total"
    message: str  # "一+二=34 but 三（七）+四=31 (总计)"
    left: int | float
    right: int | float
    facts: list[Fact] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"doc_id": self.doc_id, "table": self.table, "rule": self.rule, "message": self.message,
                "left": self.left, "right": self.right, "facts": [f.to_json() for f in self.facts]}


def _fmt(x: int | float) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


def _sum_check(doc_id, table, rule, total: Fact, parts: list[Fact], name: str) -> Finding | None:
    s = sum(p.value for p in parts)
    if s == total.value:
        return None
    expr = "+".join(_fmt(p.value) for p in parts)
    return Finding(doc_id, table, rule, f"{name}: {expr}={_fmt(s)} but 总计={_fmt(total.value)}", s, total.value,
                   [*parts, total])


def _row_totals(doc_id: str, grid: dict, table: str, parts_cols, rows) -> list[Finding]:
    out = []
    for row in rows:
        cells = grid.get(row, {})
        if "总计" in cells and all(c in cells for c in parts_cols):
            f = _sum_check(doc_id, table, "row_total" if table == "三" else "t4_total", cells["总计"],
                           [cells[c] for c in parts_cols], f"{table} {row}")
            if f:
                out.append(f)
    return out


def _parents(grid: dict) -> dict[str, list[str]]:
    tree: dict[str, list[str]] = defaultdict(list)
    for row in grid:
        if row.count(".") == 2:
            tree[row.rsplit(".", 1)[0]].append(row)
    mids = [f"三.{m}" for m in tpl.MIDS[:6] if f"三.{m}" in grid or f"三.{m}" in tree]
    if "三.（七）" in grid and mids:
        tree["三.（七）"] = mids
    return tree


def _value(row: str, col: str, grid: dict, tree: dict) -> tuple[int | float, list[Fact]] | None:
    """The value of a row (its own cell, else the sum of its sub-rows) and the facts it came from."""
    if col in grid.get(row, {}):
        return grid[row][col].value, [grid[row][col]]
    subs = [_value(s, col, grid, tree) for s in tree.get(row, [])]
    if not subs or None in subs:
        return None
    return sum(v for v, _ in subs), [f for _, fs in subs for f in fs]


def _column_checks(doc_id: str, grid: dict) -> list[Finding]:
    tree = _parents(grid)
    out = []
    for col in tpl.T3_COLUMNS:
        for parent, subs in tree.items():
            if col not in grid.get(parent, {}):
                continue
            parts = [_value(s, col, grid, tree) for s in subs]
            if None in parts or sum(v for v, _ in parts) == grid[parent][col].value:
                continue
            s = sum(v for v, _ in parts)
            names = "+".join(x.split(".", 1)[1] for x in subs)
            out.append(Finding(doc_id, "三", "parent_sum", f"{names}={_fmt(s)} but {parent.replace('.', '')}="
                               f"{_fmt(grid[parent][col].value)} ({col})", s, grid[parent][col].value,
                               [f for _, fs in parts for f in fs] + [grid[parent][col]]))
        v = {r: _value(r, col, grid, tree) for r in ("一", "二", "三.（七）", "四")}
        if None in v.values():
            continue
        left, right = v["一"][0] + v["二"][0], v["三.（七）"][0] + v["四"][0]
        if left != right:
            out.append(Finding(doc_id, "三", "balance", f"一+二={_fmt(left)} but 三（七）+四={_fmt(right)} ({col})",
                               left, right, [f for r in v.values() for f in r[1]]))
    return out


def check_facts(facts: list[Fact]) -> list[Finding]:
    """Every identity the facts of each document break (uncertain facts are left out of the checks)."""
    by_doc: dict[str, dict[str, dict[str, dict[str, Fact]]]] = defaultdict(lambda: defaultdict(dict))
    for f in facts:
        if not f.uncertain:
            by_doc[f.doc_id][f.table].setdefault(f.row, {}).setdefault(f.column, f)
    out: list[Finding] = []
    for doc_id, tables in by_doc.items():
        t3, t4 = tables.get("三", {}), tables.get("四", {})
        out += _row_totals(doc_id, t3, "三", _T3_PARTS, list(t3))
        out += _column_checks(doc_id, t3)
        out += _row_totals(doc_id, t4, "四", _T4_PARTS, list(t4))
    return out

"""The flattened-digit splitter: a table row whose cell separators were lost ("230 000023") back into its values.

Spaces that remain are sure separators; a run of digits may hold several values. Every split is enumerated that
gives the row's column count, writes no value with a leading zero ("05"), and satisfies the template's identities
(the last value of each group is the sum of the others: 总计 of table 三, each 总计 of table 四). One split ->
the row's values; several or none -> uncertain, never a guess. `resolve_table` then uses the column identities
between rows (（七）= （一）+…+（六）, 一+二 = 三（七）+四) to settle rows the row identity alone left open.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

MAX_DIGITS = 9  # no count in these tables has more digits
MAX_SPLITS = 64  # more consistent splits than this: uncertain without enumerating them all
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?!\d))")
DIGIT_RUN = re.compile(r"\d[\d\s,，]*")


@dataclass
class Split:
    """The consistent splits of one row; `values` when exactly one."""

    splits: list[tuple[int, ...]] = field(default_factory=list)
    overflow: bool = False  # stopped after MAX_SPLITS

    @property
    def values(self) -> tuple[int, ...] | None:
        return self.splits[0] if len(self.splits) == 1 and not self.overflow else None

    @property
    def uncertain(self) -> bool:
        return self.values is None


def groups_for(table: str, ncols: int) -> tuple[int, ...] | None:
    """The sum groups of a row: table 三 -> (7,) (总计 = sum of six), table 四 -> (5, 5, 5) or (5,); table 二 and
    anything else -> None (no identity, only the column count)."""
    if table == "三" and ncols == 7:
        return (7,)
    if table == "四" and ncols % 5 == 0:
        return (5,) * (ncols // 5)
    return None


def _prepare(run: str) -> tuple[str, frozenset[int]]:
    """The digits and the positions between them that were spaces (sure cuts)."""
    digits, cuts = [], set()
    for token in _THOUSANDS.sub("", run).split():
        if digits:
            cuts.add(len(digits))
        digits.extend(token)
    return "".join(digits), frozenset(cuts)


def _pieces(digits: str, cuts: frozenset[int], start: int, need: int) -> Iterator[tuple[int, int]]:
    """(value, end) of every valid value starting at `start` that leaves at least `need` digits."""
    if digits[start] == "0":
        if len(digits) - start - 1 >= need:
            yield 0, start + 1
        return
    for end in range(start + 1, min(len(digits) - need, start + MAX_DIGITS) + 1):
        if any(start < c < end for c in cuts):
            return
        yield int(digits[start:end]), end


def _ok_end(digits: str, cuts: frozenset[int], start: int, end: int) -> bool:
    return end <= len(digits) and not any(start < c < end for c in cuts)


def _free(digits, cuts, pos, n) -> Iterator[tuple[tuple[int, ...], int]]:
    """n values with no identity, from pos."""
    if n == 0:
        yield (), pos
        return
    for value, end in _pieces(digits, cuts, pos, n - 1):
        for rest, stop in _free(digits, cuts, end, n - 1):
            yield (value, *rest), stop


def _group(digits, cuts, pos, size, after) -> Iterator[tuple[tuple[int, ...], int]]:
    """A group of `size` values whose last is the sum of the others, leaving `after` digits at least."""
    for parts, end in _free(digits, cuts, pos, size - 1):
        total = str(sum(parts))
        stop = end + len(total)
        if digits.startswith(total, end) and _ok_end(digits, cuts, end, stop) and len(digits) - stop >= after:
            yield (*parts, int(total)), stop


def _walk(digits, cuts, pos, groups) -> Iterator[tuple[int, ...]]:
    if not groups:
        if pos == len(digits):
            yield ()
        return
    after = sum(groups[1:])
    for values, end in _group(digits, cuts, pos, groups[0], after):
        for rest in _walk(digits, cuts, end, groups[1:]):
            yield (*values, *rest)


def split_row(run: str, ncols: int, groups: tuple[int, ...] | None = None) -> Split:
    """Every split of the digit run `run` into `ncols` values consistent with the sum `groups`."""
    digits, cuts = _prepare(run)
    if not digits or not digits.isdigit() or len(digits) < ncols:
        return Split()
    if groups:
        found = _walk(digits, cuts, 0, tuple(groups))
    else:
        found = (v for v, end in _free(digits, cuts, 0, ncols) if end == len(digits))
    splits = list(itertools.islice(found, MAX_SPLITS + 1))
    return Split(splits[:MAX_SPLITS], overflow=len(splits) > MAX_SPLITS)


# ------------------------------------------------------------------ table 三: identities between rows
def _parts(rows: dict[str, object]) -> dict[str, list[str]]:
    """Each parent row of table 三 and the rows that sum to it, among the rows present."""
    tree: dict[str, list[str]] = {}
    for row in rows:
        if row.count(".") == 2:
            tree.setdefault(row.rsplit(".", 1)[0], []).append(row)
    mids = [f"三.{m}" for m in ("（一）", "（二）", "（三）", "（四）", "（五）", "（六）")]
    tops = [m for m in mids if m in rows or m in tree]
    if "三.（七）" in rows and tops:
        tree["三.（七）"] = tops
    return tree


def _row_value(row: str, col: int, chosen: dict, tree: dict) -> int | None:
    if row in chosen:
        return chosen[row][col]
    subs = tree.get(row)
    if not subs:
        return None
    vals = [_row_value(s, col, chosen, tree) for s in subs]
    return None if None in vals else sum(vals)


def table_consistent(chosen: dict[str, tuple[int, ...]]) -> bool:
    """Whether table 三's rows (canonical row -> values) satisfy every column identity they can be checked on."""
    tree = _parts(chosen)
    ncols = len(next(iter(chosen.values()), ()))
    for col in range(ncols):
        for parent, subs in tree.items():
            vals = [_row_value(s, col, chosen, tree) for s in subs]
            if parent in chosen and None not in vals and sum(vals) != chosen[parent][col]:
                return False
        v = {r: _row_value(r, col, chosen, tree) for r in ("一", "二", "三.（七）", "四")}
        if None not in v.values() and v["一"] + v["二"] != v["三.（七）"] + v["四"]:
            return False
    return True


def resolve_table(rows: dict[str, Split], max_combos: int = 4096) -> dict[str, tuple[int, ...]]:
    """Rows of table 三 that the column identities settle: canonical row -> values. Only when the certain rows
    already agree with each other (an inconsistent table settles nothing) and exactly one combination of the
    open rows' splits makes the whole table consistent."""
    certain = {r: s.values for r, s in rows.items() if s.values is not None}
    open_rows = [r for r, s in rows.items() if s.values is None and s.splits and not s.overflow]
    if not open_rows or not table_consistent(certain):
        return {}
    sizes = [len(rows[r].splits) for r in open_rows]
    if math.prod(sizes) > max_combos:
        return {}
    good = [combo for combo in itertools.product(*(rows[r].splits for r in open_rows))
            if table_consistent({**certain, **dict(zip(open_rows, combo))})]
    return dict(zip(open_rows, good[0])) if len(good) == 1 else {}

"""Statutory-table facts: the values of tables 二, 三 and 四 of each report, in the template's canonical rows and
columns, with offsets for quoting.

- `extract_facts(doc) -> list[Fact]` (extract.py)
- `split_row(run, ncols, groups) -> Split` (split.py): flattened digits back into values, by the identities
- `check_facts(facts) -> list[Finding]` (check.py): the identities each report breaks
- `FactStore(path).sync(docs)` (store.py): facts in <index_dir>/facts.sqlite, keyed by content hashes
- `select(facts, body=, year=, table=, row=, column=)` (store.py): facts filtered
- `compute.total / difference / share / maximum / trend` (compute.py): value, arithmetic string, facts used
"""

from bot.facts.check import Finding, check_facts
from bot.facts.extract import Fact, extract_facts
from bot.facts.split import Split, split_row
from bot.facts.store import FactStore, select

__all__ = ["Fact", "FactStore", "Finding", "Split", "check_facts", "extract_facts", "select", "split_row"]

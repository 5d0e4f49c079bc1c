#!/usr/bin/env python3
"""Split qa/questions.jsonl once into qa/tune.jsonl and qa/holdout.jsonl.

Rule: within each category, sort rows by sha1(id) (hex digest) and put the
first ceil(40%) of them into holdout; the rest go to tune.  Rows keep their
original order in both output files.  Stdlib only, deterministic.

Usage: python3 qa/split.py            (paths are relative to this file)
"""
import hashlib
import json
import math
import os
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "questions.jsonl")
TUNE = os.path.join(HERE, "tune.jsonl")
HOLD = os.path.join(HERE, "holdout.jsonl")
HOLDOUT_SHARE = 0.4


def sha(row_id):
    return hashlib.sha1(row_id.encode("utf-8")).hexdigest()


def main():
    with open(SRC, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "duplicate ids"

    by_cat = defaultdict(list)
    for r in rows:
        by_cat[r["category"]].append(r)

    holdout_ids = set()
    for cat, items in sorted(by_cat.items()):
        k = math.ceil(HOLDOUT_SHARE * len(items))
        chosen = sorted(items, key=lambda r: sha(r["id"]))[:k]
        holdout_ids.update(r["id"] for r in chosen)

    with open(TUNE, "w", encoding="utf-8") as ft, open(HOLD, "w", encoding="utf-8") as fh:
        for r in rows:
            out = fh if r["id"] in holdout_ids else ft
            out.write(json.dumps(r, ensure_ascii=False) + "\n")

    for cat, items in sorted(by_cat.items()):
        n_hold = sum(1 for r in items if r["id"] in holdout_ids)
        print(f"{cat:13s} total={len(items):3d} tune={len(items) - n_hold:3d} holdout={n_hold:3d}")
    print(f"{'ALL':13s} total={len(rows):3d} tune={len(rows) - len(holdout_ids):3d} holdout={len(holdout_ids):3d}")


if __name__ == "__main__":
    main()

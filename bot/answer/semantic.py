"""Semantic similarity between the question and candidate clauses through the index's multilingual embedder:
paraphrases outside any vocabulary ("received via the web" ~ 网络申请, "began operating" ~ 投入运行) still match.
Clauses are embedded in one batch, a bounded number per question, and cached across questions."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

MAX_CLAUSES = 0  # measured on qa/tune.jsonl: re-ranking 8 clauses was not more accurate (0.438 vs 0.429) and cost ~1 s a question on 2 cores; off until it earns its time
_CACHE_SIZE = 4096


class _LRU(OrderedDict):
    def get_or_none(self, key):
        if key in self:
            self.move_to_end(key)
            return self[key]
        return None

    def put(self, key, value) -> None:
        self[key] = value
        if len(self) > _CACHE_SIZE:
            self.popitem(last=False)


_cache: dict[int, _LRU] = {}


def similarities(embedder, question: str, clauses: list[str]) -> list[float]:
    """Cosine of the question with each clause (0.0 for all when no embedder is available)."""
    if embedder is None or not clauses:
        return [0.0] * len(clauses)
    cache = _cache.setdefault(id(embedder), _LRU())
    qkey = ("q", question)
    qvec = cache.get_or_none(qkey)
    if qvec is None:
        qvec = np.asarray(embedder.embed_query(question), dtype=np.float32)
        cache.put(qkey, qvec)
    todo = list(dict.fromkeys(c for c in clauses if cache.get_or_none(("d", c)) is None))
    if todo:
        for text, vec in zip(todo, np.asarray(embedder.embed_documents(todo), dtype=np.float32)):
            cache.put(("d", text), vec)
    out = []
    for c in clauses:
        vec = cache.get_or_none(("d", c))
        denom = float(np.linalg.norm(qvec) * np.linalg.norm(vec)) or 1.0
        out.append(float(qvec @ vec) / denom)
    return out

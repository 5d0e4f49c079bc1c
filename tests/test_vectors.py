"""FAISS store against brute-force numpy; removal by id; crash-safe saves."""

import numpy as np
import pytest

from bot.store.vectors import VectorStore


def _data(n=300, dim=32, seed=0):
    rng = np.random.default_rng(seed)
    vecs = rng.normal(size=(n, dim)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    ids = rng.choice(2**40, size=n, replace=False).astype(np.int64)
    return ids, vecs


def _brute(ids, vecs, q, k, allowed=None):
    mask = np.ones(len(ids), bool) if allowed is None else np.isin(ids, allowed)
    scores = vecs[mask] @ q
    order = np.argsort(-scores, kind="stable")[:k]
    return scores[order], ids[mask][order]


def test_search_equals_brute_force_also_after_removal_and_with_subsets():
    ids, vecs = _data()
    store = VectorStore(vecs.shape[1])
    store.add(ids, vecs)
    rng = np.random.default_rng(1)
    for _ in range(10):
        q = vecs[rng.integers(len(vecs))] + rng.normal(scale=0.1, size=vecs.shape[1]).astype(np.float32)
        s, i = store.search(q, 10)
        bs, bi = _brute(ids, vecs, q, 10)
        assert np.array_equal(i, bi) and np.allclose(s, bs, atol=1e-5)
    removed = ids[:50]
    assert store.remove(removed) == 50 and len(store) == 250
    keep = ~np.isin(ids, removed)
    q = vecs[60]
    s, i = store.search(q, 10)
    bs, bi = _brute(ids[keep], vecs[keep], q, 10)
    assert np.array_equal(i, bi)
    allowed = ids[100:130]
    s, i = store.search(q, 50, allowed_ids=allowed)
    bs, bi = _brute(ids[keep], vecs[keep], q, 50, allowed)
    assert len(i) == 30 and np.array_equal(i, bi) and set(i) <= set(allowed)


def test_save_load_round_trip_and_crash_keeps_old_file(tmp_path, monkeypatch):
    ids, vecs = _data(50)
    store = VectorStore(vecs.shape[1])
    store.add(ids, vecs)
    path = tmp_path / "v.faiss"
    store.save(path)
    loaded = VectorStore.load(path)
    assert len(loaded) == 50 and np.array_equal(np.sort(loaded.ids()), np.sort(ids))
    store.remove(ids[:10])

    import os

    def crash(*_):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        store.save(path)
    monkeypatch.undo()
    assert len(VectorStore.load(path)) == 50  # the old file is intact
    assert not list(tmp_path.glob("*.tmp-*"))

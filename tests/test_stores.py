"""The same build / update / remove / search checks against every store backend (FAISS and Milvus Lite),
on real reports copied into a temporary corpus; switching stores is refused with "rebuild"."""

import shutil
from pathlib import Path

import numpy as np
import pytest

from bot.config import load_config
from bot.embed import make_embedder
from bot.errors import IndexMismatchError
from bot.service import Service
from bot.store.indexer import load_index
from bot.store.manifest import Manifest
from tests.conftest import EMBED_CACHE

pytestmark = pytest.mark.slow
CORPUS = Path(__file__).parents[1] / "corpus"
FIRST, SECOND, THIRD = "001_d6e3f92ae18b423a.txt", "003_d3c98314bfcdc399.txt", "002_c82a9a4dc1c27d10.txt"


@pytest.fixture(scope="module")
def embedder():
    return make_embedder(load_config(env={}))


def _cfg(tmp_path, store):
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    return load_config(env={}, corpus_dir=corpus, index_dir=tmp_path / "index", data_dir=tmp_path / "data",
                       embed_cache=EMBED_CACHE, store=store, milvus_uri=str(tmp_path / "milvus.db") if store == "milvus" else "")


def _counts(data):
    counts = {}
    for c in data.chunks:
        counts[c.doc_id] = counts.get(c.doc_id, 0) + 1
    return counts


def _check_searches(data, embedder):
    """Every stored chunk is reachable; filters keep to their documents; vectors read back match."""
    store, chunk = data.store, data.chunks[0]
    assert len(store) == len(data.chunks) == len(data.vids)
    q = embedder.embed_query(chunk.norm)
    dense = store.dense(q, 5)
    assert dense and set(dense) <= set(data.vids.tolist())
    assert int(data.vids[0]) in store.dense(q, 40)
    doc = data.chunks[-1].doc_id
    allowed = {int(v) for v, c in zip(data.vids.tolist(), data.chunks) if c.doc_id == doc}
    assert set(store.dense(q, 40, [doc])) <= allowed and store.dense(q, 40, [doc])
    text = "依申请公开 行政复议"
    lexical = store.lexical(data.segmenter.tokenize(text), text, 10)
    assert lexical and set(lexical) <= set(data.vids.tolist()) and all(s > 0 for s in lexical.values())
    assert set(store.lexical(data.segmenter.tokenize(text), text, 10, [doc])) <= allowed
    vids = np.asarray(list(dense)[:3])
    vecs = store.vectors(vids)
    assert vecs.shape == (len(vids), 384)
    assert np.allclose(vecs @ q, [dense[int(v)] for v in vids], atol=1e-4)


@pytest.mark.parametrize("store", ["faiss", "milvus"])
def test_build_update_remove_search(tmp_path, embedder, store):
    cfg = _cfg(tmp_path, store)
    for name in (FIRST, SECOND):
        shutil.copy(CORPUS / name, cfg.corpus_dir)
    service = Service(cfg, embedder)
    report = service.build()
    assert report["store"] == store and Manifest.load(cfg.index_dir).store == store
    data = service.retriever.data
    counts = _counts(data)
    assert report["chunks"] == sum(counts.values()) == len(data.store)
    _check_searches(data, embedder)
    assert service.status()["store"] == store
    assert service.update()["chunks_added"] == 0

    shutil.copy(CORPUS / THIRD, cfg.corpus_dir)  # add
    added = service.update()
    data = service.retriever.data
    assert added["added"] == [Path(THIRD).stem] and added["chunks_added"] == _counts(data)[Path(THIRD).stem]
    _check_searches(data, embedder)

    path = cfg.corpus_dir / SECOND  # change
    path.write_text(path.read_text(encoding="utf-8") + "\n四、其他\n本年度新增说明一条。\n", encoding="utf-8")
    changed = service.update()
    data = service.retriever.data
    assert changed["changed"] == [Path(SECOND).stem] and changed["chunks_removed"] == counts[Path(SECOND).stem]
    text = "本年度新增说明一条"
    best = data.store.lexical(data.segmenter.tokenize(text), text, 1)
    assert "本年度新增说明一条" in next(c for v, c in zip(data.vids.tolist(), data.chunks) if v in best).text

    (cfg.corpus_dir / FIRST).unlink()  # remove
    removed = service.update()
    data = load_index(cfg, embedder)  # a fresh process's view of the index
    assert removed["removed"] == [Path(FIRST).stem] and Path(FIRST).stem not in _counts(data)
    assert len(data.store) == len(data.chunks)
    old = {int(v) for v, c in zip(data.vids.tolist(), data.chunks)}
    q = embedder.embed_query("政府信息公开")
    assert set(data.store.dense(q, 400)) == old  # no removed chunk comes back
    _check_searches(data, embedder)

    ans = service.ask("本年度新增说明一条是什么?")
    assert ans.citations


@pytest.mark.parametrize("built_with,asked", [("faiss", "milvus"), ("milvus", "faiss")])
def test_switching_store_is_refused_with_rebuild(tmp_path, embedder, built_with, asked):
    cfg = _cfg(tmp_path, built_with)
    shutil.copy(CORPUS / FIRST, cfg.corpus_dir)
    Service(cfg, embedder).build()
    other = _cfg(tmp_path, asked)
    with pytest.raises(IndexMismatchError, match="rebuild"):
        load_index(other, embedder)


def test_milvus_crash_before_manifest_switch_keeps_old_generation(tmp_path, embedder, monkeypatch):
    cfg = _cfg(tmp_path, "milvus")
    shutil.copy(CORPUS / FIRST, cfg.corpus_dir)
    service = Service(cfg, embedder)
    service.build()
    before = load_index(cfg, embedder)
    q = embedder.embed_query("政府信息公开")
    hits = before.store.dense(q, 500)

    shutil.copy(CORPUS / SECOND, cfg.corpus_dir)
    (cfg.corpus_dir / FIRST).unlink()
    from bot.store import manifest as mf

    def crash(*_):
        raise OSError("power cut")

    monkeypatch.setattr(mf, "commit_generation", crash)  # rows written, manifest never switched
    with pytest.raises(OSError):
        service.update()
    monkeypatch.undo()
    after = load_index(cfg, embedder)
    assert after.store.dense(q, 500) == pytest.approx(hits) and len(after.store) == len(before.store)
    service.update()  # the next save resets the leftovers
    final = load_index(cfg, embedder)
    assert set(final.store.dense(q, 500)) == set(final.vids.tolist())
    assert {c.doc_id for c in final.chunks} == {Path(SECOND).stem}


def _unit(n, dim, seed):
    rng = np.random.default_rng(seed)
    vecs = rng.normal(size=(n, dim)).astype(np.float32)
    return vecs / np.linalg.norm(vecs, axis=1, keepdims=True)


def test_large_faiss_index_turns_approximate_and_stays_exact_where_asked(tmp_path):
    """Above the threshold the store holds inverted lists (no second copy): ids, removal, filters, exact search
    and reconstruct still hold; it turns exact again when it shrinks below half the threshold."""
    from bot.store.vectors import VectorStore

    vecs = _unit(3000, 16, 0)
    ids = np.random.default_rng(1).choice(2**40, size=3000, replace=False).astype(np.int64)
    store = VectorStore(16, threshold=2000)
    store.add(ids[:1000], vecs[:1000])
    assert not store.approximate
    store.add(ids[1000:], vecs[1000:])
    assert store.approximate and len(store) == 3000 and set(store.ids().tolist()) == set(ids.tolist())
    queries = vecs[:20] + 0.05 * _unit(20, 16, 2)
    exact = store.search_batch(queries, 10, exact=True)[1]
    brute = np.argsort(-(queries @ vecs.T), axis=1)[:, :10]
    assert all(np.array_equal(e, ids[b]) for e, b in zip(exact, brute))
    allowed = ids[500:540]  # a narrow filter probes every list: exact
    got = store.search_batch(queries, 5, allowed_ids=allowed)[1]
    sub = np.argsort(-(queries @ vecs[500:540].T), axis=1)[:, :5]
    assert all(np.array_equal(g, ids[500:540][s]) for g, s in zip(got, sub))
    assert np.allclose(store.reconstruct(ids[[5, 2500]]), vecs[[5, 2500]])
    assert store.remove(ids[:100]) == 100 and not set(store.search(vecs[0], 50)[1].tolist()) & set(ids[:100].tolist())
    store.save(tmp_path / "v.faiss")
    loaded = VectorStore.load(tmp_path / "v.faiss", threshold=2000)
    assert loaded.approximate and len(loaded) == 2900 and np.allclose(loaded.reconstruct(ids[[2500]]), vecs[[2500]])
    loaded.remove(ids[100:2500])
    loaded.save(tmp_path / "v2.faiss")
    small = VectorStore.load(tmp_path / "v2.faiss", threshold=2000)
    assert not small.approximate and set(small.ids().tolist()) == set(ids[2500:].tolist())


def test_faiss_lexical_top_k_equals_a_full_sort_with_filters():
    """Lexical top-k looks only at the best rows (and the filter's rows) but ranks as a full stable sort does."""
    from bot.models import Chunk
    from bot.store.faiss_store import FaissStore
    from bot.store.lexical import LexicalIndex

    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(30)]
    tokens = [list(rng.choice(words, size=rng.integers(0, 8))) for _ in range(400)]
    vids = rng.choice(2**50, size=400, replace=False).astype(np.int64)
    chunks = [Chunk(id=str(i), doc_id=f"d{i % 7}", text="", norm="", section=(), embed_text="", start=0, end=0)
              for i in range(400)]
    store = FaissStore.create(16)
    store.add(chunks, vids, _unit(400, 16, 3), tokens)
    full = LexicalIndex(tokens)
    for q in (["w1"], ["w2", "w3", "w3"], ["nothing"]):
        for docs in (None, ["d2", "d5"], []):
            scores = full.scores(q)
            if docs is not None:
                scores = np.where([c.doc_id in docs for c in chunks], scores, 0.0)
            for k in (1, 10, 500):
                best = [i for i in np.argsort(-scores, kind="stable")[:k] if scores[i] > 0]
                got = store.lexical(q, "", k, docs)
                assert list(got) == [int(vids[i]) for i in best]
                assert np.allclose(list(got.values()), scores[best])


def test_milvus_bm25_equals_faiss_bm25_across_segments_and_new_tokens(tmp_path):
    """Milvus rows hold the FAISS backend's BM25 weights and queries its idf: the same scores after an update
    (a second segment, which Milvus Lite's own BM25 would score with that segment's statistics) and after the
    index's vocabulary changed the tokens of stored chunks."""
    from bot.models import Chunk
    from bot.store.faiss_store import FaissStore
    from bot.store.milvus_store import MilvusStore

    rng = np.random.default_rng(4)
    words = [f"词{i}" for i in range(40)]
    tokens = [list(rng.choice(words, size=6)) for _ in range(360)]  # one length: avgdl never moves
    chunks = [Chunk(id=str(i), doc_id=f"d{i % 9}", text="", norm="", section=(), embed_text="", start=0, end=0)
              for i in range(360)]
    vids, vecs = np.arange(1, 361, dtype=np.int64) * 7919, _unit(360, 16, 5)
    faiss_store = FaissStore.create(16)
    milvus = MilvusStore.create(_cfg(tmp_path, "milvus"), 16)
    for part in (slice(0, 300), slice(300, 360)):  # build, then an update: a second segment
        for store in (faiss_store, milvus):
            store.add(chunks[part], vids[part], vecs[part], tokens[part])
        milvus.save(tmp_path, 1 if part.start == 0 else 2)
    new = [t[:5] + ["词0"] for t in tokens[:30]]  # new whole words in stored chunks
    for store in (faiss_store, milvus):
        store.set_tokens(vids[:30], new)
    milvus.save(tmp_path, 3)
    for q in (["词1"], ["词0", "词2", "词2"], ["词39", "词5"]):
        for docs in (None, ["d3"]):
            want, got = faiss_store.lexical(q, "", 400, docs), milvus.lexical(q, "", 400, docs)  # all: no ties cut
            assert want and got == pytest.approx(want, rel=1e-5)


def test_milvus_keeps_a_chunk_without_tokens(tmp_path):
    from bot.models import Chunk
    from bot.store.milvus_store import MilvusStore

    store = MilvusStore.create(_cfg(tmp_path, "milvus"), 4)
    chunks = [Chunk(id=str(i), doc_id="d", text="", norm="", section=(), embed_text="", start=0, end=0)
              for i in range(3)]
    store.add(chunks, np.array([1, 2, 3]), np.eye(4, dtype=np.float32)[:3], [[], ["公开"], ["公开", "复议"]])
    store.save(tmp_path, 1)
    assert set(store.lexical(["公开"], "", 5)) == {2, 3} and list(store.lexical(["复议"], "", 5)) == [3]
    assert set(store.dense(np.eye(4, dtype=np.float32)[0], 5)) == {1, 2, 3}

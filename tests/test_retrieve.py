"""Retrieval on the real index of the shipped corpus: scope by year/place, hybrid ranking, recall."""

import numpy as np
import pytest

pytestmark = pytest.mark.slow


def test_dense_search_matches_brute_force_on_the_real_index(built):
    _, service = built
    r = service.retriever
    q = r.embedder.embed_query("淮安市2024年政府信息公开行政复议有多少件?")
    vids = r.data.vids
    vecs = r.data.store.vectors(vids)
    brute = vids[np.argsort(-(vecs @ q), kind="stable")[:10]]
    got = list(r.data.store.dense(q, 10))
    assert np.array_equal(np.asarray(got), brute)


def test_scope_follows_year_and_place_in_any_language(built):
    _, service = built
    for question in ("How many applications did Hongze district accept in 2023?", "洪泽区2023年受理多少件申请?",
                     "洪澤區2023年受理多少件申請?"):
        hits = service.retrieve(question, top_k=5).hits
        assert hits and all(h.chunk.doc_id == "hongze_2023" for h in hits), question
    # the same body in another year is never mixed in
    assert all(h.chunk.doc_id == "hongze_2024" for h in service.retrieve("洪泽区2024年受理多少件申请?", 5).hits)
    ret = service.retrieve("牡丹江市民政局2015年受理了多少件?")
    assert ret.hits == [] and ret.scope_note == "no_year_for_place"


def test_hits_carry_sources_sections_and_text(built):
    _, service = built
    hits = service.retrieve("咸宁市2015年城乡低保对象有多少户?", top_k=5).hits
    top = hits[0].chunk
    assert top.doc_id == "001_d6e3f92ae18b423a" and "121702" in top.text
    assert service.retriever.docs[top.doc_id].text[top.start:top.end] == top.text
    assert hits[0].score >= hits[-1].score


def test_llama_index_retriever_interface(built):
    _, service = built
    from bot.retrieve.llama import as_llama_retriever

    nodes = as_llama_retriever(service).retrieve("淮安市2024年全市共受理政府信息公开申请多少件?")
    assert nodes and nodes[0].node.metadata["source"] == "huaian_2024"
    assert "3119" in " ".join(n.node.get_content() for n in nodes)

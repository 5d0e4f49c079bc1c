"""The Gradio web chat: multi-turn questions, cited answers, the cited passage highlighted, index panel, admin."""

from __future__ import annotations

import hmac
import html
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from .config import Config
from .errors import BotError

CSS = """
#source-panel mark.quote { background: #ffe066; padding: 0 2px; }
.citation-link { font-size: 0.9em; }
#index-panel { font-size: 0.9em; }
"""

EXAMPLES = [
    "牡丹江市民政局2009年受理了多少件依申请公开事项?",
    "How many government information disclosure applications did Huai'an receive in 2024?",
    "咸宁市民政局2015年有没有因政府信息公开申请行政复议?",
    "淮安市2024年政府信息公开行政复议有多少件?",
    "How many information items did Hongze district publish on its government website in 2023?",
]


def answer_markdown(ans) -> str:
    """The chat message: short answer and quote as the answerer wrote them, citations as links to the passage."""
    lines = [ln for ln in ans.answer.split("\n") if not ln.startswith("[") or not ans.citations]
    body = "\n".join(lines).strip()
    links = []
    for c in ans.citations:
        url = f"/source/{quote(c.source)}?start={c.start}&end={c.end}"
        label = html.escape(f"[{c.n}] {c.title} › {c.section} ({c.source})")
        links.append(f'<a class="citation-link" href="{url}" target="_blank" rel="noopener">{label}</a>')
    return body + ("\n\n" + "<br>".join(links) if links else "")


def index_panel_markdown(service, status: tuple[str, str]) -> str:
    if service is None:
        return f"**Index:** {status[0]} — {status[1] or 'please wait'}"
    st = service.status()
    years = ", ".join(str(y) for y in st["years"])
    fresh = "stale: run an index update" if st["stale"] else "up to date"
    return (f"**{st['documents']} documents**, {st['chunks']} passages · embedder `{st['embedder']}` · "
            f"updated {st['updated_at']} ({fresh})\n\n**Years:** {years}\n\n**Bodies:** {'; '.join(st['bodies'])}")


def build_ui(cfg: Config, get_service: Callable, get_status: Callable):
    import gradio as gr

    from .server import render_source

    def service_or_message():
        svc = get_service()
        if svc is None:
            status, progress = get_status()
            return None, f"The index is not ready yet ({status}: {progress}). Try again in a moment."
        return svc, ""

    def respond(message: str, history: list, year, body, turns: list):
        svc, wait = service_or_message()
        history = list(history or [])
        history.append({"role": "user", "content": message})
        if svc is None:
            history.append({"role": "assistant", "content": wait})
            return history, "", "", turns
        filters = {"year": None if year in (None, "", "all") else int(year),
                   "body": None if body in (None, "", "all") else body}
        try:
            ans = svc.ask(message, history=[(q, None) for q in turns], filters=filters)
        except BotError as exc:
            history.append({"role": "assistant", "content": f"⚠️ {exc}"})
            return history, "", "", turns
        history.append({"role": "assistant", "content": answer_markdown(ans)})
        panel = ""
        if ans.citations:
            c = ans.citations[0]
            panel = render_source(svc.document(c.source), c.start, c.end)
        return history, "", panel, (turns + [message])[-6:]

    def refresh_filters():
        svc = get_service()
        if svc is None:
            return gr.update(choices=["all"]), gr.update(choices=["all"]), index_panel_markdown(None, get_status())
        docs = svc.documents()
        years = ["all"] + [str(y) for y in sorted({d.year for d in docs if d.year})]
        bodies = ["all"] + sorted({d.body for d in docs if d.body})
        return (gr.update(choices=years, value="all"), gr.update(choices=bodies, value="all"),
                index_panel_markdown(svc, get_status()))

    def check_key(key: str) -> str | None:
        if not cfg.api_key:
            return "Writes are disabled on this server: set BOT_API_KEY to enable them."
        if not key or not hmac.compare_digest(key.encode(), cfg.api_key.encode()):
            return "Wrong or missing API key."
        return None

    def upload(key: str, files, progress=gr.Progress()):
        problem = check_key(key)
        svc = get_service()
        if problem or svc is None:
            return problem or "The index is not ready yet.", index_panel_markdown(svc, get_status())
        from .server import sniff_upload

        notes = []
        for f in files or []:
            path = Path(f if isinstance(f, str) else f.name)
            progress(0.2, desc=f"indexing {path.name}")
            try:
                data = path.read_bytes()
                sniff_upload(path.name, data)
                ids = svc.add_file(path.name, data)
                notes.append(f"✅ {path.name}: added {', '.join(ids)}")
            except BotError as exc:
                notes.append(f"❌ {path.name}: {exc}")
        return "\n\n".join(notes) or "Choose a file first.", index_panel_markdown(svc, get_status())

    def delete(key: str, doc_id: str):
        problem = check_key(key)
        svc = get_service()
        if problem or svc is None:
            return problem or "The index is not ready yet.", index_panel_markdown(svc, get_status())
        try:
            removed = svc.delete_document(doc_id.strip())
            return f"Removed {', '.join(removed)}", index_panel_markdown(svc, get_status())
        except BotError as exc:
            return f"❌ {exc}", index_panel_markdown(svc, get_status())

    with gr.Blocks(title="政府信息公开年报问答 · Disclosure report QA") as demo:
        gr.Markdown("## 政府信息公开年报问答 · Ask the disclosure annual reports\n"
                    "Every answer quotes the report it comes from. Ask in Chinese or English.")
        turns = gr.State([])
        with gr.Row():
            with gr.Column(scale=3):
                chat = gr.Chatbot(elem_id="chat", height=480, label="Chat", sanitize_html=True)
                question = gr.Textbox(elem_id="question", placeholder="例如:淮安市2024年受理了多少件政府信息公开申请?",
                                      label="Question", lines=1, max_length=cfg.max_question_chars)
                with gr.Row():
                    send = gr.Button("Ask", variant="primary", elem_id="ask-button")
                    clear = gr.Button("New conversation")
                gr.Examples(EXAMPLES, inputs=question)
            with gr.Column(scale=2):
                with gr.Row():
                    year = gr.Dropdown(["all"], value="all", label="Year", elem_id="filter-year")
                    body = gr.Dropdown(["all"], value="all", label="Body", elem_id="filter-body")
                gr.Markdown("**Cited passage** (the quoted span is highlighted; citation links in the chat open it "
                            "in a new tab)")
                source_panel = gr.HTML(elem_id="source-panel")
                with gr.Accordion("What the index holds", open=False):
                    index_panel = gr.Markdown(elem_id="index-panel")
                with gr.Accordion("Administration (API key)", open=False):
                    key = gr.Textbox(label="API key", type="password")
                    files = gr.File(label="Add reports (txt, html, pdf, docx)", file_count="multiple",
                                    file_types=[".txt", ".html", ".htm", ".pdf", ".docx"])
                    add_btn = gr.Button("Add to index")
                    doc_id = gr.Textbox(label="Document id to delete")
                    del_btn = gr.Button("Delete document", variant="stop")
                    admin_out = gr.Markdown()
        send.click(respond, [question, chat, year, body, turns], [chat, question, source_panel, turns])
        question.submit(respond, [question, chat, year, body, turns], [chat, question, source_panel, turns])
        clear.click(lambda: ([], "", "", []), None, [chat, question, source_panel, turns])
        add_btn.click(upload, [key, files], [admin_out, index_panel])
        del_btn.click(delete, [key, doc_id], [admin_out, index_panel])
        demo.load(refresh_filters, None, [year, body, index_panel])
    return demo

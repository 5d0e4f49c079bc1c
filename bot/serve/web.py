"""The Gradio web chat: Chinese first (English by browser or toggle), cited answers whose [n] open the passage,
filters as chips, a report browser, feedback, and an admin tab only when a key is configured."""

from __future__ import annotations

import hmac
import html
import re
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, unquote, urlparse

import gradio as gr

from bot.answer import render_chat
from bot.errors import BotError
from bot.feedback import FeedbackStore
from bot.models import Answer, Turn
from bot.serve.errors import HTTPError
from bot.serve.i18n import EXAMPLES, pick_lang, t
from bot.serve.pages import render_source
from bot.serve.state import AppState

STATIC = Path(__file__).parent / "static"
CSS = (STATIC / "page.css").read_text(encoding="utf-8")
HEAD = f"<script>{(STATIC / 'page.js').read_text(encoding='utf-8')}</script>"
GREETING = re.compile(r"^\s*(你好|您好|嗨|哈喽|在吗|在不在|帮助|你是谁|你能做什么|你可以做什么|能做什么|怎么用|"
                      r"hi|hello|hey|help|what can you do|who are you)\s*[?？!！。.,，]*\s*$", re.I)
YEAR_IN_Q = re.compile(r"(?<!\d)(19[89]\d|20[0-4]\d)(?!\d)")


def index_panel_markdown(state: AppState, lang: str = "zh") -> str:
    if state.service is None:
        return t(lang, "index_wait", status=state.status, progress=state.progress or t(lang, "please_wait"))
    st = state.service.status()
    return t(lang, "index_summary", docs=st["documents"], chunks=st["chunks"], embedder=st["embedder"],
             updated=st["updated_at"], fresh=t(lang, "stale" if st["stale"] else "fresh"),
             years=", ".join(str(y) for y in st["years"]), bodies="; ".join(st["bodies"]))


def chips_html(lang: str, year, body) -> str:
    chips = [t(lang, "chip_year", year=year) if year not in (None, "", "all") else "",
             t(lang, "chip_body", body=body) if body not in (None, "", "all") else ""]
    chips = [c for c in chips if c]
    if not chips:
        return ""
    return (f"<div class='chips'>{t(lang, 'chips_label')} "
            + "".join(f"<span class='chip'>{c}</span>" for c in chips) + "</div>")


def help_html(lang: str) -> str:
    items = "".join(f"<li>{q}</li>" for q in EXAMPLES[lang])
    return f"<div class='answer help'><p>{t(lang, 'help')}</p><ul>{items}</ul></div>"


def _excluded_year(question: str, year) -> str | None:
    asked = set(YEAR_IN_Q.findall(question))
    return next(iter(sorted(asked)), None) if year not in (None, "", "all") and asked and str(year) not in asked \
        else None


def _answer_html(state: AppState, ans: Answer, lang: str, year, body) -> str:
    meta = {}
    for c in ans.citations:
        try:
            d = state.service.document(c.source)
            meta[c.source] = (d.body, d.year)
        except BotError:
            continue
    out = render_chat(ans, lang=lang, meta=meta)
    if not ans.found and chips_html(lang, year, body):
        chips = " · ".join(x for x in (str(year) if year not in (None, "", "all") else "",
                                       body if body not in (None, "", "all") else "") if x)
        out += f"<p class='note'>{t(lang, 'filter_maybe_excluded', chips=chips)}</p>"
    return out


def _reply(state: AppState, message: str, year, body, turns: list, lang: str) -> tuple[str, Answer | None]:
    """The assistant's HTML for one question, and the Answer when the index gave one."""
    if GREETING.match(message):
        return help_html(lang), None
    if state.service is None:
        return t(lang, "not_ready", status=state.status, progress=state.progress), None
    asked = _excluded_year(message, year)
    if asked:
        return f"<div class='answer'><p>{t(lang, 'filter_excludes_year', year=year, asked=asked)}</p></div>", None
    try:
        ans = state.service.ask(message, history=[Turn(q) for q in turns], filters={"year": year, "body": body})
    except BotError as exc:
        return t(lang, "error", message=str(exc)), None
    return _answer_html(state, ans, lang, year, body), ans


def _text_of(content) -> str:
    """A chat message's text: Gradio gives a string or a list of parts ({"type": "text", "text": …})."""
    if isinstance(content, str):
        return content.strip()
    parts = content if isinstance(content, list) else [content]
    return "".join(p.get("text", "") if isinstance(p, dict) else str(p or "") for p in parts).strip()


def _respond(state: AppState, message: str, history: list, year, body, turns: list, log: dict, lang: str):
    """One submit: nothing for an empty or repeated question; otherwise the answer, panel and conversation."""
    message = (message or "").strip()
    history = list(history or [])
    last_user = next((_text_of(m.get("content")) for m in reversed(history) if m.get("role") == "user"), None)
    if not message or message == last_user:
        return gr.update(), gr.update(), gr.update(), turns, log
    html_out, ans = _reply(state, message, year, body, turns, lang)
    history += [{"role": "user", "content": message}, {"role": "assistant", "content": html_out}]
    panel = gr.update()
    if ans is not None and ans.citations:
        c = ans.citations[0]
        panel = render_source(state.service.document(c.source), c.start, c.end)
    if ans is not None:
        log = {**log, str(len(history) - 1): {"question": message, "answer": ans.short or ans.answer,
                                               "citations": [c.__dict__ for c in ans.citations]}}
        turns = (turns + [message])[-6:]
    return history, "", panel, turns, log


def _open_citation(state: AppState, target: str):
    """The side panel for a clicked [n]: its href (/source/<id>?start=&end=) names document and span."""
    url = urlparse((target or "").split("#")[0])
    if state.service is None or not url.path.startswith("/source/"):
        return gr.update()
    q = parse_qs(url.query)
    try:
        doc = state.service.document(unquote(url.path[len("/source/"):]))
        return render_source(doc, int(q.get("start", ["0"])[0]), int(q.get("end", ["0"])[0]))
    except (BotError, ValueError):
        return gr.update()


def _feedback(state: AppState, data: gr.LikeData, log: dict, comment: str, lang: str):
    record = log.get(str(data.index[0] if isinstance(data.index, (list, tuple)) else data.index))
    if record is None:
        return t(lang, "feedback_none"), comment
    FeedbackStore.for_data_dir(state.cfg.data_dir).add(1 if data.liked else -1, record["question"],
                                                       record["answer"], record["citations"], comment or "", lang)
    return t(lang, "feedback_saved"), ""


def _choices(state: AppState, lang: str):
    docs = state.service.documents() if state.service is not None else []
    everything = [(t(lang, "all"), "all")]
    return (everything + [(str(y), str(y)) for y in sorted({d.year for d in docs if d.year})],
            everything + [(b, b) for b in sorted({d.body for d in docs if d.body})],
            everything + [(v, v) for v in sorted({d.level for d in docs if d.level})], docs)


def reports_html(state: AppState, lang: str, q="", body="all", year="all", level="all", kind="all") -> str:
    """The report browser's list: the index's reports, filtered, each opening in the source view."""
    _, _, _, docs = _choices(state, lang)
    q = "".join((q or "").lower().split())  # "Xianning" finds the pinyin "xian ning"
    rows = [d for d in sorted(docs, key=lambda d: (-(d.year or 0), d.body, d.id))
            if (body in (None, "all") or d.body == body) and (year in (None, "all") or str(d.year) == str(year))
            and (level in (None, "all") or d.level == level) and (kind in (None, "all") or d.kind == kind)
            and (not q or any(q in "".join(str(x or "").lower().split())
                              for x in (d.title, d.body, d.region, d.pinyin, d.id)))]
    if not rows:
        return f"<p>{t(lang, 'reports_none')}</p>"
    head = "".join(f"<th>{t(lang, k)}</th>" for k in ("col_title", "col_body", "col_year", "col_level", "col_kind"))
    body_rows = "".join(
        f"<tr><td><a class='report-link' href='/source/{d.id}?lang={lang}' target='_blank' rel='noopener'>"
        f"{_esc(d.title or d.id)}</a></td><td>{_esc(d.body)}</td><td>{d.year or ''}</td><td>{_esc(d.level)}</td>"
        f"<td>{t(lang, 'kind_' + d.kind) if d.kind in ('annual_report', 'other') else _esc(d.kind)}</td></tr>"
        for d in rows)
    return (f"<p>{t(lang, 'reports_count', n=len(rows))}</p><table class='reports'><thead><tr>{head}</tr></thead>"
            f"<tbody>{body_rows}</tbody></table>")


def _esc(text) -> str:
    return html.escape(str(text or ""))


def _key_ok(state: AppState, key: str) -> bool:
    return bool(state.cfg.api_key) and bool(key) and hmac.compare_digest(key.encode(), state.cfg.api_key.encode())


def _upload(state: AppState, key: str, files, lang: str):
    if not _key_ok(state, key) or state.service is None:
        return t(lang, "admin_key_wrong"), index_panel_markdown(state, lang)
    notes = []
    for f in files or []:
        path = Path(f if isinstance(f, str) else f.name)
        try:
            ids = state.add_file(path.name, path.read_bytes())
            notes.append(t(lang, "admin_added", name=path.name, ids=", ".join(ids)))
        except (BotError, HTTPError) as exc:  # HTTPError: the index writer stopped
            notes.append(t(lang, "admin_failed", name=path.name, error=exc))
    return "\n\n".join(notes) or t(lang, "admin_choose"), index_panel_markdown(state, lang)


def _delete(state: AppState, key: str, doc_id: str, lang: str):
    if not _key_ok(state, key) or state.service is None:
        return t(lang, "admin_key_wrong"), index_panel_markdown(state, lang)
    try:
        removed = state.delete_document(doc_id.strip())
        return t(lang, "admin_removed", ids=", ".join(removed)), index_panel_markdown(state, lang)
    except (BotError, HTTPError) as exc:
        return t(lang, "admin_failed", name=doc_id, error=exc), index_panel_markdown(state, lang)


# ---------------------------------------------------------------- layout
def _hidden(**kw) -> dict:
    return {"elem_classes": ["bot-hidden"], "container": False, **kw}


def _chat_tab(ui: SimpleNamespace, cfg) -> None:
    ui.chips = gr.HTML(elem_id="filter-chips")
    ui.chat = gr.Chatbot(elem_id="chat", height=520, label=t("zh", "chat_label"), sanitize_html=True,
                         feedback_options=("Like", "Dislike"), buttons=[], placeholder=t("zh", "panel_empty"))
    ui.question = gr.Textbox(elem_id="question", placeholder=t("zh", "question_placeholder"),
                             label=t("zh", "question_label"), lines=1, max_length=cfg.max_question_chars)
    ui.counter = gr.HTML(elem_id="char-counter")
    with gr.Row():
        ui.send = gr.Button(t("zh", "ask"), variant="primary", elem_id="ask-button")
        ui.clear = gr.Button(t("zh", "new_conversation"), elem_id="new-conversation")
    ui.examples = gr.Dataset(components=[ui.question], samples=[[q] for q in EXAMPLES["zh"]],
                             label=t("zh", "examples"), elem_id="examples")
    ui.comment = gr.Textbox(label=t("zh", "feedback_comment"), lines=1, elem_id="feedback-comment")
    ui.feedback_out = gr.Markdown(elem_id="feedback-status")
    ui.cite_target = gr.Textbox(elem_id="cite-target", **_hidden())
    ui.cite_open = gr.Button("open", elem_id="cite-open", elem_classes=["bot-hidden"])


def _side_column(ui: SimpleNamespace, state: AppState) -> None:
    with gr.Column(scale=2, min_width=320, elem_id="side-col") as ui.side:
        with gr.Row():
            ui.year = gr.Dropdown([(t("zh", "all"), "all")], value="all", label=t("zh", "year"),
                                  elem_id="filter-year")
            ui.body = gr.Dropdown([(t("zh", "all"), "all")], value="all", label=t("zh", "body"),
                                  elem_id="filter-body")
        ui.panel_heading = gr.Markdown(t("zh", "panel_heading"))
        ui.source_panel = gr.HTML(elem_id="source-panel")
        with gr.Accordion(t("zh", "index_heading"), open=False) as ui.index_acc:
            ui.index_panel = gr.Markdown(elem_id="index-panel")
        ui.admin_note = gr.Markdown(t("zh", "admin_disabled"), elem_id="admin-note",
                                    visible=not state.cfg.api_key)


def _reports_tab(ui: SimpleNamespace) -> None:
    with gr.Row():
        ui.r_query = gr.Textbox(label=t("zh", "reports_search"), elem_id="reports-search", scale=2)
        ui.r_body = gr.Dropdown([(t("zh", "all"), "all")], value="all", label=t("zh", "body"))
        ui.r_year = gr.Dropdown([(t("zh", "all"), "all")], value="all", label=t("zh", "year"))
        ui.r_level = gr.Dropdown([(t("zh", "all"), "all")], value="all", label=t("zh", "reports_level"))
        ui.r_kind = gr.Dropdown([(t("zh", "all"), "all"), (t("zh", "kind_annual_report"), "annual_report"),
                                 (t("zh", "kind_other"), "other")], value="all", label=t("zh", "reports_kind"))
    ui.r_list = gr.HTML(elem_id="reports-list")


def _admin_tab(ui: SimpleNamespace) -> None:
    ui.key = gr.Textbox(label=t("zh", "admin_key"), type="password", elem_id="admin-key")
    ui.unlock = gr.Button(t("zh", "admin_unlock"), elem_id="admin-unlock")
    ui.admin_out = gr.Markdown(elem_id="admin-status")
    with gr.Column(visible=False) as ui.admin_tools:
        ui.files = gr.File(label=t("zh", "admin_files"), file_count="multiple",
                           file_types=[".txt", ".html", ".htm", ".pdf", ".docx"])
        ui.add_btn = gr.Button(t("zh", "admin_add"))
        ui.doc_id = gr.Textbox(label=t("zh", "admin_doc_id"), elem_id="admin-doc-id")
        ui.del_btn = gr.Button(t("zh", "admin_delete"), variant="stop", elem_id="admin-delete")
        with gr.Row(visible=False) as ui.confirm_row:
            ui.confirm_yes = gr.Button(t("zh", "admin_confirm_yes"), variant="stop", elem_id="admin-confirm")
            ui.confirm_no = gr.Button(t("zh", "admin_cancel"))


def _i18n_targets(ui: SimpleNamespace, state: AppState) -> list[tuple]:
    """(component, {update argument: string key}) for every translated piece of the page."""
    targets = [(ui.title, {"value": "header"}), (ui.chat, {"label": "chat_label", "placeholder": "panel_empty"}),
               (ui.question, {"label": "question_label", "placeholder": "question_placeholder"}),
               (ui.send, {"value": "ask"}), (ui.clear, {"value": "new_conversation"}),
               (ui.examples, {"label": "examples", "samples": "example_samples"}),
               (ui.comment, {"label": "feedback_comment"}), (ui.year, {"label": "year"}),
               (ui.body, {"label": "body"}), (ui.panel_heading, {"value": "panel_heading"}),
               (ui.index_acc, {"label": "index_heading"}), (ui.admin_note, {"value": "admin_disabled"}),
               (ui.tab_chat, {"label": "tab_chat"}), (ui.tab_reports, {"label": "tab_reports"}),
               (ui.r_query, {"label": "reports_search"}), (ui.r_body, {"label": "body"}),
               (ui.r_year, {"label": "year"}), (ui.r_level, {"label": "reports_level"}),
               (ui.r_kind, {"label": "reports_kind", "choices": "kinds"})]
    if state.cfg.api_key:
        targets += [(ui.tab_admin, {"label": "tab_admin"}), (ui.key, {"label": "admin_key"}),
                    (ui.unlock, {"value": "admin_unlock"}), (ui.files, {"label": "admin_files"}),
                    (ui.add_btn, {"value": "admin_add"}), (ui.doc_id, {"label": "admin_doc_id"}),
                    (ui.del_btn, {"value": "admin_delete"}), (ui.confirm_yes, {"value": "admin_confirm_yes"}),
                    (ui.confirm_no, {"value": "admin_cancel"})]
    return targets


def header_html(lang: str) -> str:
    return (f"<div class='page-header'><h2>{t(lang, 'page_title')}</h2><span class='lang-toggle'>"
            f"{t(lang, 'lang_toggle')}</span><p class='subtitle'>{t(lang, 'subtitle')}</p></div>")


def _text_for(lang: str, key: str):
    if key == "header":
        return header_html(lang)
    if key == "example_samples":
        return [[q] for q in EXAMPLES[lang]]
    if key == "kinds":
        return [(t(lang, "all"), "all"), (t(lang, "kind_annual_report"), "annual_report"),
                (t(lang, "kind_other"), "other")]
    return t(lang, key)


def _on_load(state: AppState, ui: SimpleNamespace, request: gr.Request | None):
    """Language (?lang=, else Accept-Language), embed mode and preset filters from the page's URL."""
    params = dict(request.query_params) if request is not None else {}
    accept = request.headers.get("accept-language") if request is not None else None
    lang = pick_lang(params.get("lang"), accept)
    embed = params.get("embed") in ("1", "true")
    updates = [gr.update(**{arg: _text_for(lang, key) for arg, key in spec.items()})
               for _, spec in _i18n_targets(ui, state)]
    years, bodies, levels, _ = _choices(state, lang)
    year = params.get("year") if params.get("year") in {v for _, v in years} else "all"
    body = params.get("body") if params.get("body") in {v for _, v in bodies} else "all"
    extra = [gr.update(choices=years, value=year), gr.update(choices=bodies, value=body),
             gr.update(choices=bodies), gr.update(choices=years), gr.update(choices=levels),
             reports_html(state, lang), index_panel_markdown(state, lang), chips_html(lang, year, body),
             gr.update(visible=not embed), gr.update(visible=not embed), _signature(state)]
    admin = [gr.update(visible=not embed)] if state.cfg.api_key else []  # never inside the embed
    return [lang, *updates, *extra, *admin]


def _signature(state: AppState) -> str:
    if state.service is None:
        return state.status
    return "|".join(sorted(f"{d.id}:{d.content_hash}" for d in state.service.documents()))


def _refresh(state: AppState, sig: str, lang: str, year, body):
    """Timer tick: the filter lists follow the index when its documents changed (uploads, deletes, builds)."""
    now = _signature(state)
    if now == sig:
        return [gr.update()] * 6 + [sig]
    years, bodies, levels, _ = _choices(state, lang)
    return [gr.update(choices=years, value=year if year in {v for _, v in years} else "all"),
            gr.update(choices=bodies, value=body if body in {v for _, v in bodies} else "all"),
            gr.update(choices=bodies), gr.update(choices=years), gr.update(choices=levels),
            index_panel_markdown(state, lang), now]


def _wire_chat(ui: SimpleNamespace, state: AppState) -> None:
    def respond(message, history, year, body, turns, log, lang):
        return _respond(state, message, history, year, body, turns, log, lang)

    def reset(lang):
        return [], "", "", [], {}, "", gr.update(value="")

    ins = [ui.question, ui.chat, ui.year, ui.body, ui.turns, ui.log, ui.lang]
    outs = [ui.chat, ui.question, ui.source_panel, ui.turns, ui.log]
    for trigger in (ui.send.click, ui.question.submit):
        trigger(respond, ins, outs, trigger_mode="once")
    reset_outs = [ui.chat, ui.question, ui.source_panel, ui.turns, ui.log, ui.feedback_out, ui.counter]
    ui.clear.click(reset, [ui.lang], reset_outs)
    ui.chat.clear(reset, [ui.lang], reset_outs)
    ui.examples.click(lambda sample: sample[0], [ui.examples], [ui.question])
    ui.cite_open.click(lambda target: _open_citation(state, target), [ui.cite_target], [ui.source_panel])
    def like(log, comment, lang, data: gr.LikeData):
        return _feedback(state, data, log, comment, lang)

    ui.chat.like(like, [ui.log, ui.comment, ui.lang], [ui.feedback_out, ui.comment])
    for dd in (ui.year, ui.body):
        dd.change(lambda lang, y, b: chips_html(lang, y, b), [ui.lang, ui.year, ui.body], [ui.chips])
    limit = state.cfg.max_question_chars
    ui.question.input(None, [ui.question, ui.lang], [ui.counter], js=(
        f"(q, lang) => {{ const n = [...(q || '')].length, m = {limit}; if (!n) return '';"
        f" const zh = lang !== 'en'; if (n >= m) return `<span class='limit'>${{n}}/${{m}} ` +"
        f" (zh ? '字 · 已达字数上限，请精简问题' : 'characters · limit reached, please shorten the question')"
        f" + '</span>'; return `${{n}}/${{m}} ` + (zh ? '字' : 'characters'); }}"))


def _wire_reports(ui: SimpleNamespace, state: AppState) -> None:
    ins = [ui.lang, ui.r_query, ui.r_body, ui.r_year, ui.r_level, ui.r_kind]
    for comp in (ui.r_query, ui.r_body, ui.r_year, ui.r_level, ui.r_kind):
        comp.change(lambda *a: reports_html(state, *a), ins, [ui.r_list])


def _wire_admin(ui: SimpleNamespace, state: AppState) -> None:
    def unlock(key, lang):
        ok = _key_ok(state, key)
        return t(lang, "admin_key_ok" if ok else "admin_key_wrong"), gr.update(visible=ok)

    def ask_confirm(key, doc_id, lang):
        if not _key_ok(state, key):
            return t(lang, "admin_key_wrong"), gr.update(visible=False)
        if not (doc_id or "").strip():
            return t(lang, "admin_no_id"), gr.update(visible=False)
        return t(lang, "admin_confirm", doc_id=doc_id.strip()), gr.update(visible=True)

    ui.unlock.click(unlock, [ui.key, ui.lang], [ui.admin_out, ui.admin_tools])
    ui.add_btn.click(lambda k, f, lang: _upload(state, k, f, lang), [ui.key, ui.files, ui.lang],
                     [ui.admin_out, ui.index_panel])
    ui.del_btn.click(ask_confirm, [ui.key, ui.doc_id, ui.lang], [ui.admin_out, ui.confirm_row])
    ui.confirm_yes.click(lambda k, d, lang: (*_delete(state, k, d, lang), gr.update(visible=False)),
                         [ui.key, ui.doc_id, ui.lang], [ui.admin_out, ui.index_panel, ui.confirm_row])
    ui.confirm_no.click(lambda: ("", gr.update(visible=False)), None, [ui.admin_out, ui.confirm_row])


def build_ui(state: AppState) -> gr.Blocks:
    ui = SimpleNamespace()
    with gr.Blocks(title="政府信息公开年报问答 · Disclosure report QA") as demo:
        ui.lang, ui.turns, ui.log, ui.sig = gr.State("zh"), gr.State([]), gr.State({}), gr.State("")
        ui.title = gr.HTML(header_html("zh"), elem_id="page-header")
        with gr.Tabs():
            with gr.Tab(t("zh", "tab_chat"), elem_id="tab-chat") as ui.tab_chat:
                with gr.Row():
                    with gr.Column(scale=3, min_width=320):
                        _chat_tab(ui, state.cfg)
                    _side_column(ui, state)
            with gr.Tab(t("zh", "tab_reports"), elem_id="tab-reports") as ui.tab_reports:
                _reports_tab(ui)
            if state.cfg.api_key:
                with gr.Tab(t("zh", "tab_admin"), elem_id="tab-admin") as ui.tab_admin:
                    _admin_tab(ui)
        _wire_chat(ui, state)
        _wire_reports(ui, state)
        if state.cfg.api_key:
            _wire_admin(ui, state)
        targets = [c for c, _ in _i18n_targets(ui, state)]
        load_outs = [ui.lang, *targets, ui.year, ui.body, ui.r_body, ui.r_year, ui.r_level, ui.r_list,
                     ui.index_panel, ui.chips, ui.side, ui.tab_reports, ui.sig]
        load_outs += [ui.tab_admin] if state.cfg.api_key else []

        def on_load(request: gr.Request):
            return _on_load(state, ui, request)

        demo.load(on_load, None, load_outs)
        timer = gr.Timer(20)
        timer.tick(lambda sig, lang, y, b: _refresh(state, sig, lang, y, b), [ui.sig, ui.lang, ui.year, ui.body],
                   [ui.year, ui.body, ui.r_body, ui.r_year, ui.r_level, ui.index_panel, ui.sig])
    return demo

"""Every string of the web page, in simplified Chinese (the default) and English: two dicts with the same keys."""

from __future__ import annotations

ZH = {
    "page_title": "政府信息公开年报问答",
    "subtitle": "每个回答都引用报告原文，点击 [n] 查看出处。可用中文或英文提问。",
    "tab_chat": "问答",
    "tab_reports": "报告浏览",
    "tab_admin": "管理",
    "chat_label": "对话",
    "question_label": "问题",
    "question_placeholder": "例如：淮安市2024年受理了多少件政府信息公开申请？",
    "ask": "提问",
    "new_conversation": "新对话",
    "examples": "示例问题",
    "year": "年份",
    "body": "机关",
    "all": "全部",
    "panel_heading": "**引用原文**（高亮部分为引用内容；点击回答中的 [n] 在此查看）",
    "panel_empty": "提问后，这里显示回答所引用的报告原文。",
    "index_heading": "索引概况",
    "index_wait": "**索引：**{status} — {progress}",
    "index_summary": "**{docs} 份报告**，{chunks} 个段落 · 向量模型 `{embedder}` · 更新于 {updated}（{fresh}）\n\n"
                     "**年份：**{years}\n\n**机关：**{bodies}",
    "fresh": "已是最新",
    "stale": "有文件变动，请更新索引",
    "please_wait": "请稍候",
    "not_ready": "索引尚未就绪（{status}：{progress}），请稍后再试。",
    "error": "⚠️ {message}",
    "counter": "{n}/{max} 字",
    "counter_limit": "{n}/{max} 字 · 已达字数上限，请精简问题",
    "chips_label": "筛选：",
    "chip_year": "年份 {year}",
    "chip_body": "机关 {body}",
    "filter_excludes_year": "当前筛选条件（年份 {year}）排除了问题中的 {asked} 年。请把“年份”改为“全部”后再问。",
    "filter_maybe_excluded": "注意：已启用筛选（{chips}），答案所在的报告可能被排除。",
    "help": "您好！我可以回答关于政府信息公开工作年度报告的问题，例如申请数量、办理结果、行政复议和诉讼等，"
            "每个回答都附有报告原文引用。可以这样问：",
    "feedback_comment": "反馈意见（可选：先填写，再点回答下方的“赞”或“踩”）",
    "feedback_saved": "已记录您的反馈，谢谢！",
    "feedback_none": "这条消息不能反馈。",
    "admin_disabled": "管理功能未启用：在服务器上设置 `BOT_API_KEY`（或配置文件中的 `api_key`）后可上传和删除报告。",
    "admin_key": "管理密钥",
    "admin_unlock": "验证密钥",
    "admin_key_wrong": "密钥错误。",
    "admin_key_ok": "密钥正确，可以管理报告。",
    "admin_files": "添加报告（txt、html、pdf、docx）",
    "admin_add": "加入索引",
    "admin_doc_id": "要删除的报告 id",
    "admin_delete": "删除报告",
    "admin_confirm": "确认删除 {doc_id}？删除的报告会保留在 data/.deleted/ 中。",
    "admin_confirm_yes": "确认删除",
    "admin_cancel": "取消",
    "admin_added": "✅ {name}：已加入 {ids}",
    "admin_failed": "❌ {name}：{error}",
    "admin_removed": "已删除 {ids}",
    "admin_choose": "请先选择文件。",
    "admin_no_id": "请先填写报告 id。",
    "reports_search": "搜索（标题、机关、地区）",
    "reports_level": "级别",
    "reports_kind": "类型",
    "kind_annual_report": "年度报告",
    "kind_other": "其他",
    "reports_count": "共 {n} 份报告",
    "reports_none": "没有符合条件的报告。",
    "col_title": "报告",
    "col_body": "机关",
    "col_year": "年份",
    "col_level": "级别",
    "col_kind": "类型",
    "col_open": "查看",
    "open": "打开原文",
    "lang_toggle": "<a href='?lang=zh' class='lang-on'>中文</a> | <a href='?lang=en'>English</a>",
    "source_download": "下载原始文件",
    "source_back": "返回问答",
    "source_cited": "跳到引用处",
    "embed_title": "在门户网站中嵌入问答",
    "embed_intro": "把下面的代码粘贴到页面中要显示问答的位置。可选参数：data-height（高度）、data-lang（zh/en）、"
                   "data-year、data-body（预设筛选）。",
    "embed_preview": "预览",
}

EN = {
    "page_title": "Disclosure annual report QA",
    "subtitle": "Every answer quotes the report it comes from: click [n] to see the passage. Ask in Chinese or English.",
    "tab_chat": "Chat",
    "tab_reports": "Reports",
    "tab_admin": "Admin",
    "chat_label": "Conversation",
    "question_label": "Question",
    "question_placeholder": "e.g. How many disclosure applications did Huai'an receive in 2024?",
    "ask": "Ask",
    "new_conversation": "New conversation",
    "examples": "Example questions",
    "year": "Year",
    "body": "Issuing body",
    "all": "All",
    "panel_heading": "**Cited passage** (the quote is highlighted; click [n] in an answer to show it here)",
    "panel_empty": "After you ask, the passage the answer quotes appears here.",
    "index_heading": "What the index holds",
    "index_wait": "**Index:** {status} — {progress}",
    "index_summary": "**{docs} reports**, {chunks} passages · embedder `{embedder}` · updated {updated} ({fresh})\n\n"
                     "**Years:** {years}\n\n**Bodies:** {bodies}",
    "fresh": "up to date",
    "stale": "files changed: run an index update",
    "please_wait": "please wait",
    "not_ready": "The index is not ready yet ({status}: {progress}). Try again in a moment.",
    "error": "⚠️ {message}",
    "counter": "{n}/{max} characters",
    "counter_limit": "{n}/{max} characters · limit reached, please shorten the question",
    "chips_label": "Filters:",
    "chip_year": "year {year}",
    "chip_body": "body {body}",
    "filter_excludes_year": "The active filter (year {year}) excludes the year {asked} your question names. "
                            "Set Year to All and ask again.",
    "filter_maybe_excluded": "Note: filters are on ({chips}); the report with the answer may be excluded.",
    "help": "Hello! I answer questions about government information-disclosure annual reports (applications "
            "received, how they were handled, reviews and lawsuits…), quoting the report for every answer. Try:",
    "feedback_comment": "Comment (optional: write it, then rate the answer with the thumbs under it)",
    "feedback_saved": "Thanks, your feedback was recorded.",
    "feedback_none": "This message cannot be rated.",
    "admin_disabled": "Administration is off: set `BOT_API_KEY` (or `api_key` in the config file) on the server "
                      "to add and delete reports.",
    "admin_key": "Admin key",
    "admin_unlock": "Check key",
    "admin_key_wrong": "Wrong key.",
    "admin_key_ok": "Key accepted: you can manage reports.",
    "admin_files": "Add reports (txt, html, pdf, docx)",
    "admin_add": "Add to index",
    "admin_doc_id": "Report id to delete",
    "admin_delete": "Delete report",
    "admin_confirm": "Delete {doc_id}? Deleted reports are kept in data/.deleted/.",
    "admin_confirm_yes": "Yes, delete",
    "admin_cancel": "Cancel",
    "admin_added": "✅ {name}: added {ids}",
    "admin_failed": "❌ {name}: {error}",
    "admin_removed": "Removed {ids}",
    "admin_choose": "Choose a file first.",
    "admin_no_id": "Enter a report id first.",
    "reports_search": "Search (title, body, place)",
    "reports_level": "Level",
    "reports_kind": "Kind",
    "kind_annual_report": "annual report",
    "kind_other": "other",
    "reports_count": "{n} reports",
    "reports_none": "No report matches.",
    "col_title": "Report",
    "col_body": "Issuing body",
    "col_year": "Year",
    "col_level": "Level",
    "col_kind": "Kind",
    "col_open": "Open",
    "open": "open",
    "lang_toggle": "<a href='?lang=zh'>中文</a> | <a href='?lang=en' class='lang-on'>English</a>",
    "source_download": "Download the original file",
    "source_back": "Back to the chat",
    "source_cited": "Jump to the quote",
    "embed_title": "Embed the bot in a portal",
    "embed_intro": "Paste this where the chat should appear. Options: data-height, data-lang (zh/en), data-year, "
                   "data-body (preset filters).",
    "embed_preview": "Preview",
}

TEXTS = {"zh": ZH, "en": EN}

EXAMPLES = {
    "zh": ["牡丹江市民政局2009年受理了多少件依申请公开事项?", "淮安市2024年政府信息公开行政复议有多少件?",
           "咸宁市民政局2015年有没有因政府信息公开申请行政复议?", "洪泽区2023年在政府网站公开了多少条信息?"],
    "en": ["How many government information disclosure applications did Huai'an receive in 2024?",
           "How many applications did the Mudanjiang civil affairs bureau receive in 2009?",
           "Did the Xianning civil affairs bureau face an administrative review in 2015?",
           "How many information items did Hongze district publish on its government website in 2023?"],
}


def pick_lang(asked: str | None = None, accept_language: str | None = None) -> str:
    """"en" or "zh": an explicit ?lang= first, then the browser's preference (Chinese unless it prefers English)."""
    if asked:
        return "en" if asked.lower().startswith("en") else "zh"
    ranked = []
    for i, part in enumerate((accept_language or "").split(",")):
        tag, _, q = part.strip().partition(";q=")
        try:
            ranked.append((-float(q or 1), i, tag.lower()))
        except ValueError:
            continue
    for _, _, tag in sorted(ranked):
        if tag.startswith("en"):
            return "en"
        if tag.startswith("zh"):
            return "zh"
    return "zh"


def t(lang: str, key: str, **values) -> str:
    text = TEXTS.get(lang, ZH).get(key) or ZH[key]
    return text.format(**values) if values else text

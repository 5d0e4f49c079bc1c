"""Cleaning: drop site chrome, ads, page numbers and pinyin annotations; join lines broken mid-sentence.

Only whole lines of chrome are dropped and only pinyin is cut out of lines, so the report's own words
and figures stay verbatim for quoting. Metadata header lines (索引号, 发布日期, ...) are parsed, then dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.ingest.readers import Line
from bot.ingest.sections import heading_level, is_flat_table_row

_TONE = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
# "當(dāng)前" -> "當前": a parenthesised pinyin syllable right after a CJK character
PINYIN_NOTE = re.compile(rf"(?<=[\u4e00-\u9fff])\((?=[a-z{_TONE}]*[{_TONE}])[a-z{_TONE}]{{1,7}}\)")

_CHROME = [re.compile(p) for p in (
    r"^\s*(您|你)?(当前|當前)?(的)?(位置|所在位置)\s*[:：]",
    r"^\s*(当前|當前)(位置|頁面|页面)\s*[:：]",
    r"(扫一扫|掃一掃)在(手机|手機)(打开|打開)(当前|當前)(页|頁)",
    r"^\s*【?\s*字体\s*[:：]?\s*(大|【)",
    r"字体颜色|保护视力色|字號[:：]|字号[:：]",
    r"^\s*(来源|來源|撰稿|校对|校對|一审|一審|二审|二審|三审|三審|关联稿件|關聯稿件|责任编辑|責任編輯|编辑|編輯|作者|审核|審核)\s*[:：]?\s*$",
    r"^\s*(附件下载|附件下載|相关附件|附件)\s*[:：]?\s*$",
    r"^\s*[-—–_=*·•]*\s*$",
    r"^\s*[-—–_=*#]{3,}\s*\S{1,6}\s*[-—–_=*#]{3,}\s*$",  # a crawler's divider: "==== 正文 ===="
    r"^\s*★",
    r"^\s*(分享到|打印本页|打印本頁|关闭窗口|關閉窗口|【打印】|【关闭】|\[打印\]|\[关闭\]|收藏本页|返回顶部)",
    r"来源于\s*[\w.-]+\.(com|cn|net|org).{0,40}欢迎",
    r"^\s*(上一篇|下一篇)\s*[:：]",
    r"^\s*(首页|首頁)\s*[|｜>›»/]",  # navigation menus and breadcrumbs
)]
# advertising spliced into a sentence: "[找文章到☆好范文 wenmi114.com(http://www.xiexiebang.com/)一站在手,写作无忧!]"
_INLINE_AD = re.compile(r"[\[【][^\]】\n]{0,80}?(https?://|www\.|\w\.(com|cn|net)\b)[^\]】\n]{0,80}[\]】]")
_PAGE_NUMBER = re.compile(r"^\s*([-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*页(\s*[/,，]?\s*共\s*\d{1,4}\s*页)?|\d{1,3})\s*$")
# a page number between dashes, in any file, on its own line or run into the text ("审查 120 件、— 2 —发布")
_DASHED_PAGE = re.compile(r"^\s*[-—–]\s*\d{1,4}\s*[-—–]\s*$|^\s*第\s*\d{1,4}\s*页(\s*[/,，]?\s*共\s*\d{1,4}\s*页)?\s*$")
_INLINE_PAGE = re.compile(r"—\s\d{1,3}\s—")
_META_KEYS = ("索引号", "發布機構", "发布机构", "生成日期", "发布日期", "發布日期", "发布时间", "發布時間", "文号", "文號",
              "主题分类", "主題分類", "有效性", "关键词", "關鍵詞", "内容概述", "名称", "發文單位", "发文单位",
              "发文日期", "废止日期", "公开方式", "公开时限", "信息来源", "时效", "成文日期", "所属机构", "浏览次数",
              # a crawler's header above the text it saved
              "标题", "標題", "栏目", "欄目", "原文链接", "原文鏈接", "本地目录", "访问地址", "网址", "链接地址")
_META_KEY_RE = re.compile(r"(" + "|".join(re.escape(k).replace(r"\ ", "") for k in _META_KEYS) + r")\s*[:：]")
_SENTENCE_END = re.compile(r"[。！？!?；;：:”」』）)…]$")


@dataclass
class Cleaned:
    lines: list[Line]
    meta: dict[str, str] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)  # lines removed as chrome/metadata (for tests)


def _squash_key(text: str) -> str:
    return re.sub(r"[ \t\u3000]+", "", text)


def parse_meta_line(text: str) -> dict[str, str] | None:
    """'名 称: X 发布日期: 2020年09月11日' -> {'名称': 'X', '发布日期': '2020年09月11日'}; None if no keys."""
    squashed = re.sub(r"(?<=[\u4e00-\u9fff])[ \t\u3000]+(?=[\u4e00-\u9fff]\s*[:：])", "", text)
    squashed = re.sub(r"^([\u4e00-\u9fff])[ \t\u3000]+(?=[\u4e00-\u9fff]\s*[:：])", r"\1", squashed)
    matches = list(_META_KEY_RE.finditer(squashed))
    if not matches or matches[0].start() > 2:
        return None
    out = {}
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(squashed)
        out[m.group(1)] = squashed[m.end():end].strip()
    return out


def _meta_row(text: str) -> dict[str, str] | None:
    """A CMS page's metadata grid read as a table row: "索引号: | 1137…/2016-5112365 | 文号: | 无文号"."""
    cells = [c.strip() for c in text.split("|") if c.strip()]
    if not cells or not _META_KEY_RE.fullmatch(_squash_key(cells[0])):
        return None
    return parse_meta_line(" ".join(cells))


# a longer line that begins like chrome is a crawled page run into one line ("当前位置：首页… 根据《条例》…"): the
# report's text follows its breadcrumb, so the line stays
MAX_CHROME_LINE = 300


def is_chrome(text: str) -> bool:
    return any(p.search(text) for p in _CHROME)


def clean_lines(lines: list[Line], from_pdf: bool = False) -> Cleaned:
    out: list[Line] = []
    meta: dict[str, str] = {}
    dropped: list[str] = []
    for line in lines:
        text = PINYIN_NOTE.sub("", line.text.replace("\u00a0", " ").rstrip())
        if line.is_table_row:
            parsed = _meta_row(text)
            if parsed:
                meta.update({k: v for k, v in parsed.items() if v})
                dropped.append(text)
            else:
                out.append(Line(text.strip(), True))
            continue
        if not text.strip():
            out.append(Line(""))
            continue
        parsed = parse_meta_line(text.strip())
        if parsed is not None:
            meta.update({k: v for k, v in parsed.items() if v})
            dropped.append(text)
            continue
        if (is_chrome(text) and len(text) <= MAX_CHROME_LINE) or _DASHED_PAGE.match(text) or (
                from_pdf and _PAGE_NUMBER.match(text)):
            # a breadcrumb/chrome line may still carry a publication time: keep it as metadata
            m = re.search(r"(发布时间|發布時間|发布日期|發布日期)\s*[:：]\s*([\d年月日\-/.]+)", text)
            if m:
                meta.setdefault(m.group(1), m.group(2))
            dropped.append(text)
            continue
        for ad in _INLINE_AD.finditer(text):
            dropped.append(ad.group(0))
        text = _INLINE_PAGE.sub("", _INLINE_AD.sub("", text))
        out.append(Line(text.strip() if from_pdf else text.strip(" \t\u3000")))
    return Cleaned(_join_broken(out, from_pdf), meta, dropped)


def _wrapped_min_len(lines: list[Line]) -> int:
    """How long a text line must be to count as hard-wrapped: 40 characters, or less when the file's full lines
    are shorter (a PDF saved as text wraps at ~28 hanzi): 0.9 of its 80th-percentile line length, at least 16."""
    lengths = sorted(len(line.text) for line in lines if line.text and not line.is_table_row)
    if len(lengths) < 20:
        return 40
    width = lengths[int(0.8 * (len(lengths) - 1))]
    return max(16, min(40, int(0.9 * width)))


def _join_broken(lines: list[Line], from_pdf: bool) -> list[Line]:
    """Join a line to the next when it stops mid-sentence (hard wraps in PDFs and some pages)."""

    min_len = 18 if from_pdf else _wrapped_min_len(lines)
    out: list[Line] = []
    for line in lines:
        if out and not line.is_table_row and line.text:
            prev = out[-1]
            if (prev.text and not prev.is_table_row and len(prev.text) >= min_len
                    and not _SENTENCE_END.search(prev.text) and heading_level(line.text) is None
                    and not is_flat_table_row(prev.text)):
                out[-1] = Line(prev.text + line.text)
                continue
        out.append(line)
    return out

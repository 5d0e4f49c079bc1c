"""Document metadata from the text itself: title, issuing body, region, level, year covered, dates, kind, pinyin.

Only general patterns of the genre are used (suffixes of Chinese administrative units and bodies),
never names of particular places.
"""

from __future__ import annotations

import re

from bot.models import Document
from bot.text import CJK, chinese_year, to_simplified

_CJK = CJK
_CJK_CHAR = re.compile(rf"[{CJK}]")
_LEVEL_OF_SUFFIX = {"省": "省", "自治区": "省", "市": "市", "州": "市", "盟": "市", "县": "县", "縣": "县", "旗": "县",
                    "区": "区", "區": "区", "镇": "乡镇", "鎮": "乡镇", "乡": "乡镇", "鄉": "乡镇", "街道": "乡镇"}
# function characters never inside a place name: "本报告由淮安市" must yield 淮安市
_NOT_IN_PLACE = "的了由据按照报告对为是在与及从至向于將将把得到年度局厅委办部"
_PLACE = re.compile(rf"((?:(?![{_NOT_IN_PLACE}])[{_CJK}]){{2,6}}?)(自治区|省|市|州|盟|县|縣|旗|区|區|镇|鎮|乡|鄉|街道)(?![长委])")
_BODY_SUFFIX = (r"人民政府办公室|人民政府辦公室|人民政府办公厅|人民政府辦公廳|人民政府|政府办公室|政府辦公室|政府|管委会|管委會|"
                r"管理委员会|管理委員會|委员会|委員會|管理局|民政局|局|"
                r"办公室|辦公室|办事处|辦事處|中心|厅|廳|委|办|辦|人民法院|人民检察院|有限公司|集团有限公司|公司")
_BODY = re.compile(rf"([{_CJK}]{{1,14}}?(?:{_BODY_SUFFIX}))")
_NOT_BODY_START = re.compile(r"^(近年来|近年來|年|度|本|我|各|全|在|对|對|由|经|經|按|為|为|和|与|與|及|的|把|将|將|"
                             r"[一二三四五六七八九十]+是)")
_REPORT = re.compile(r"(政府)?(信息|政务|政務)公开.{0,12}(年度)?(工作)?(报告|報告|年报|年報)|年度报告|年度報告")
_YEAR = re.compile(r"(?<!\d)((?:19[89]|20[0-4])\d)\s*年")
# the government of a place or zone named in a report's title ("平潭综合实验区" -> "平潭综合实验区管委会")
_ORGAN = re.compile(r"人民政府|管委会|管委會|管理委员会|管理委員會")
# "…服务。 平潭综合实验区管委会办公室 2014年12月10日 附件下载": a signature at the end of a run-on line
_SIGNED = re.compile(rf"(?:^|\s)([{_CJK}]{{2,30}})\s*(?:(?:19|20)\d{{2}}年\d{{1,2}}月\d{{1,2}}日|"
                     rf"[〇○零一二三四五六七八九]{{4}}年[一二三四五六七八九十]{{1,2}}月[一二三四五六七八九十]{{1,3}}日)"
                     rf"(?:\s+[{_CJK}]{{1,6}})?\s*$")
# a line that is only a date: a bulletin's byline or a letter's signature stands next to one
_DATE_ONLY = re.compile(r"((?:19|20)\d{2}|[〇○零一二三四五六七八九]{4})年([\d一二三四五六七八九十〇○零]{1,2}月"
                        r"([\d一二三四五六七八九十〇○零]{1,3}日)?)?")
_CN_YEAR = re.compile(r"([〇○零一二三四五六七八九]{4})年")
# "…增长12.5%。（某某县统计局）": the contributor named in brackets after the last sentence of the text
_CLOSING = re.compile(rf"[。！？!?；;]\s*[（(]([{_CJK}]{{2,30}})[)）]\s*$")
# a year-to-date period with no year ("1-10月全市规模以上工业增加值…", "1至6月…"): the months up to the publication
_YEAR_TO_DATE = re.compile(r"(?<![\d年])1\s*[-—–－~～至到]\s*(1[0-2]|[2-9])\s*月")
# the sections every disclosure report has ("一、总体情况", "一、概述", "二、主动公开政府信息情况")
_REPORT_SECTION = re.compile(r"^\s*[一二三四五六七八九十]{1,2}\s*[、.．]\s*(总体情况|總體情況|概述|概況|概况|主动公开|主動公開)")
# a paragraph that opens with the year of the work it reports: "2007年,我县财政与编制政务公开…"
_WORK_YEAR = re.compile(r"^\s*((?:19[89]|20[0-4])\d)\s*年(?:度)?\s*(?:[,，]|以来)")
_DATE = re.compile(r"((?:19|20)\d{2})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})")
_CN_DATE = re.compile(r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")
_GENERIC_PLACES = frozenset("全市 本市 我市 该市 各市 全县 本县 我县 全区 本区 我区 全省 本省 我省 全镇 本镇 我镇 城区 市县 "
                            "县区 辖区 社区 城市 乡镇 各县 各区 地市 县市 省市".split())


def _cn_number(text: str) -> int:
    digits = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (digits.get(tens, 1) if tens else 1) * 10 + (digits.get(ones, 0) if ones else 0)
    return digits.get(text, 0)


def parse_date(text: str) -> str | None:
    m = _DATE.search(text)
    if m:
        y, mo, d = (int(g) for g in m.groups())
        if 1 <= mo <= 12 and 1 <= d <= 31:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    m = _CN_DATE.search(text)
    if m:
        y = chinese_year(m.group(1))
        if y:
            return f"{y:04d}-{_cn_number(m.group(2)):02d}-{_cn_number(m.group(3)):02d}"
    return None


def place_matches(text: str) -> list[tuple[str, str]]:
    """(core, suffix) of each place name in reading order ('淮安', '市'); generic words like 全市 skipped."""
    out = []
    for m in _PLACE.finditer(text):
        core, suffix = m.group(1), m.group(2)
        # "市民政局" / "省工商局": a bare level prefix is not a place
        if core in _GENERIC_PLACES or (len(core) >= 3 and core[0] in "全各我该每"):
            continue
        out.append((core, suffix))
    return out


def places(text: str) -> list[tuple[str, str]]:
    """(place name with suffix, level) in reading order."""
    return [(core + suffix, _LEVEL_OF_SUFFIX[suffix]) for core, suffix in place_matches(text)]


def _clean_title(title: str) -> str:
    """"# 标题：X年度报告-某某网" -> "X年度报告": markdown marks, a 标题 label and a site name after a dash go."""
    title = re.sub(r"^[#\s*]+|^(标题|標題|题目|名称)\s*[:：]\s*", "", title.strip()).strip()
    parts = re.split(r"\s*[-_|｜—]+\s*", title)
    if len(parts) > 1 and _REPORT.search(to_simplified(parts[0])):
        title = parts[0]
    joined = re.sub(r"(?<=[\u4e00-\u9fff\d])\s+(?=[\u4e00-\u9fff\d])", "", title)
    # only a report title wrapped by a PDF is joined; "深化政务公开 打造阳光工商" keeps its space
    return joined if _REPORT.search(to_simplified(joined)) else title


def _title(doc: Document, meta: dict, article_title: str) -> str:
    return _clean_title(_raw_title(doc, meta, article_title))


def _raw_title(doc: Document, meta: dict, article_title: str) -> str:
    if article_title:
        return article_title
    if meta.get("名称") or meta.get("标题"):
        return meta.get("名称") or meta["标题"]
    first = next((p.text for p in doc.paragraphs[:1] if len(p.text) > 60), "")
    run = _RUN_TITLE.search(to_simplified(first[:300]))
    if run:  # (its announcing verb is no part of it: "…要求，发布河北省教育厅2021年…报告")
        return _ANNOUNCING.sub("", first[run.start(1):run.end(1)])
    heads = [p.text for p in doc.paragraphs[:6] if not p.is_table_row and len(p.text) <= 60]
    for i, line in enumerate(heads):
        simple = to_simplified(line)
        if _REPORT.search(simple) or re.search(r"(报告|总结)$", simple):
            # PDFs put the body on its own line above "2024年政府信息公开工作年度报告"
            if i > 0 and re.match(r"\d{4}", line) and _BODY.fullmatch(heads[i - 1]):
                return heads[i - 1] + line
            if i > 0 and len(line) <= 12 and not re.search(r"[。；;：:！？!?]$", heads[i - 1]):
                return re.sub(r"\s+", "", heads[i - 1] + line)  # a title wrapped onto a second line
            return line
    return _title_announced(doc) or (heads[0] if heads else doc.id)


def _title_announced(doc: Document) -> str:
    """A report saved without its title line that announces itself in its opening: '…现发布《河北省工业和信息化厅
    2016年度政府信息公开工作报告》。本报告由…' (a titled report's own name, with its year, in the first paragraph)."""
    first = next((p.text for p in doc.paragraphs[:3] if not p.is_table_row), "")
    for m in re.finditer(r"《([^《》]{6,60})》", first[:600]):
        name = to_simplified(m.group(1))
        if _REPORT.search(name) and _title_year(name) and re.search(r"(报告|年报)$", name):
            return m.group(1)  # (not a notice about the reports it cites: "《…关于做好2012年…年度报告有关事项的通知》")
    return ""


def _main_place(text: str, level_char: str = "") -> str:
    """The place the report is about: the most often named one (ties: the first named)."""
    counts: dict[str, int] = {}
    for name, _ in places(text):
        if not level_char or name.endswith(level_char):
            counts[name] = counts.get(name, 0) + 1
    return max(counts, key=lambda n: counts[n]) if counts else ""


# the report speaking of its own place by level: "我乡设立便捷有效的申请途径", "本镇"
_SELF_LEVEL = re.compile(r"[我本](乡|镇|县|区|市|省)(?![长委])")


def _own_level(text: str) -> str:
    """The level a report calls its own place most often ("我乡"), or "" when it never does."""
    levels = [m.group(1) for m in _SELF_LEVEL.finditer(text)]
    return max(levels, key=levels.count) if levels else ""


def _body_before_year(title: str) -> str:
    """'国家税务总局上海市税务局2021年…报告' -> the whole name in front of the year, when it ends like a body."""
    m = re.match(rf"^([{_CJK}]{{2,40}}?)\s*(?:(?:19|20)\d{{2}}|[〇○零一二三四五六七八九]{{4}})\s*年", title)
    if m and re.search(rf"(?:{_BODY_SUFFIX})$", m.group(1)):
        return m.group(1)
    return ""


def _body_in(text: str) -> str:
    text = re.sub(r"《[^》]*》", " ", text)  # names inside titles of laws are not the issuer
    text = re.sub(r"\d{4}\s*年度?", " ", text)
    text = re.sub(r"^[*\-—\s]+", "", text, flags=re.M)
    for m in _BODY.finditer(text):
        name = m.group(1)
        if _NOT_BODY_START.match(name) or len(name) < 2 or re.search(r"(工作|报告|条例|领导小组)", name):
            continue
        return name
    return ""


def _issuer_in_title(title: str, kind: str) -> str:
    """The body a title names: before the year (reports, bulletins) or before 关于 (notices, letters)."""
    body = _body_before_year(title)
    if body or kind != "annual_report":
        m = re.match(rf"^([{_CJK}]{{2,30}}?)\s*关于", title)
        return body or (m.group(1) if m and _BODY.fullmatch(m.group(1)) else "")
    return _body_in(title)


def _organ_of_title(title: str, text: str) -> str:
    """'平潭综合实验区2023年…报告' and '平潭综合实验区管委会' in the text -> the government of the place named."""
    m = re.match(rf"^([{_CJK}]{{2,20}}?)\s*(?:(?:19|20)\d{{2}}|[〇○零一二三四五六七八九]{{4}})\s*年", title)
    if not m:
        return ""
    found = [m.group(1) + o.group(0) for o in _ORGAN.finditer(text) if text[:o.start()].endswith(m.group(1))]
    return max(dict.fromkeys(found), key=found.count) if found else ""


def _date_line(text: str) -> bool:
    text = re.sub(r"[\s（）()]", "", text)
    return len(text) <= 14 and bool(_DATE_ONLY.fullmatch(text))


def _byline(doc: Document) -> str:
    """The issuer printed on a line of its own next to a date (a bulletin's byline under its title, a letter's
    signature), a closing '（某某局）' line, or a signature or a closing '（某某局）' run onto one of the last lines."""
    lines = [p.text.strip() for p in doc.paragraphs if not p.is_table_row]
    for line in lines[-2:]:
        m = _SIGNED.search(line) or _CLOSING.search(line)
        if m and _BODY.fullmatch(m.group(1)) and not _NOT_BODY_START.match(m.group(1)):
            return to_simplified(m.group(1))
    for i, line in enumerate(lines):
        if 12 <= i < len(lines) - 6:
            continue
        name = re.sub(r"^[（(]|[)）]$", "", line.split()[0]) if line.split() else ""
        if not _BODY.fullmatch(name) or _NOT_BODY_START.match(name) or re.search(r"(工作|报告|領導|领导小组)", name):
            continue
        after = lines[i + 1:i + 4]
        joined = [a + b for a, b in zip(after, after[1:])]
        if any(_date_line(t) for t in after + joined) or (i >= len(lines) - 2 and re.fullmatch(r"[（(].+[)）]", line)):
            return to_simplified(name)
    return ""


def _body_named(doc: Document, title: str, meta: dict) -> str:
    """The issuing body as the document names it: its title, its own byline, the page's issuer, the site."""
    text = to_simplified(doc.text[:6000])
    body = _issuer_in_title(title, doc.kind)
    if not body and doc.kind == "annual_report":
        body = _organ_of_title(title, text)
    body = body or _byline(doc)
    if not body and meta.get("发布机构") and meta["发布机构"] not in ("政府办公室", "办公室"):
        body = to_simplified(meta["发布机构"])
    if not body and doc.kind != "annual_report" and _BODY.fullmatch(to_simplified(meta.get("站点", ""))):
        body = to_simplified(meta["站点"])  # a web page naming no issuer of its own: the site's body
    if not body and doc.kind != "annual_report":
        # a speech or an article names its author under the title ("**省工商行政管理局")
        body = _body_in("\n".join(p.text for p in doc.paragraphs[:5]))
    return body


def _body(doc: Document, title: str, meta: dict) -> str:
    text = to_simplified(doc.text[:6000])
    title = to_simplified(title)
    body = _body_named(doc, title, meta)
    if body and re.match(r"^(市|县|区|镇|乡|省)", body):
        # "市民政局" in the title, "牡丹江市民政局…" in the text: the body is 牡丹江市民政局
        named = [p for m in re.finditer(re.escape(body[1:]), text)
                 for p, _ in places(text[max(0, m.start() - 7):m.start()])[-1:]
                 if text[:m.start()].endswith(p) and p.endswith(body[0])]
        if named:
            body = max(set(named), key=named.count) + body[1:]
    if not body and doc.kind == "annual_report":
        place = _main_place(title) or _main_place(text, _own_level(text)) or _main_place(text)
        if place:
            body = place + ("办事处" if place.endswith("街道") else "人民政府")
    if body:
        # a fuller official name in the text ("淮安市洪泽区人民政府" for "洪泽区人民政府")
        for m in re.finditer(re.escape(body), text):
            before = places(text[max(0, m.start() - 8):m.start()])
            if before and text[:m.start()].endswith(before[-1][0]):
                body = before[-1][0] + body
                break
    return body


def _title_year(title: str) -> int | None:
    m = _YEAR.search(title)
    if m:
        return int(m.group(1))
    m = _CN_YEAR.search(title)
    return chinese_year(m.group(1)) if m else None


def _year_to_date(title: str, published: str | None) -> int | None:
    """'1-10月…' published 2016-11-22 covers 2016; '1-12月…' published in January covers the year before."""
    m = _YEAR_TO_DATE.search(to_simplified(title))
    date = re.match(r"((?:19|20)\d\d)-(\d{1,2})", published or "")  # a publication date with its month
    if not m or not date:
        return None
    year, month = int(date.group(1)), int(date.group(2))
    return year if int(m.group(1)) <= month else year - 1


def _kind(title: str, doc: Document) -> str:
    """A report's title names the genre, and the report names its year or has the genre's sections; a page titled
    '政府信息公开年报' that is a list of reports has neither."""
    simple = to_simplified(title)
    # a title a site's list cut short ("…政府信息公开工作年度报...") is the genre's when the text has its sections
    cut_short = re.search(r"(信息|政务)公开.{0,12}(\.{2,}|…+)\s*$", simple)
    if not _REPORT.search(simple) and not cut_short:
        return "other"
    sections = any(_REPORT_SECTION.match(p.text) for p in doc.paragraphs[:400] if not p.is_table_row)
    return "annual_report" if _title_year(simple) or sections else "other"


_SECTION_NUMBER = re.compile(r"^\s*[一二三四五六七八九十]{1,2}\s*[、.．]|^\s*[（(][一二三四五六七八九十]{1,2}[)）]")
# the provinces and province-level cities, by the pinyin a file name writes them in
_PROVINCES = {p: c for c, p in (
    ("北京市", "beijing"), ("天津市", "tianjin"), ("上海市", "shanghai"), ("重庆市", "chongqing"), ("河北省", "hebei"),
    ("山西省", "shanxi"), ("辽宁省", "liaoning"), ("吉林省", "jilin"), ("黑龙江省", "heilongjiang"), ("江苏省", "jiangsu"),
    ("浙江省", "zhejiang"), ("安徽省", "anhui"), ("福建省", "fujian"), ("江西省", "jiangxi"), ("山东省", "shandong"),
    ("河南省", "henan"), ("湖北省", "hubei"), ("湖南省", "hunan"), ("广东省", "guangdong"), ("海南省", "hainan"),
    ("四川省", "sichuan"), ("贵州省", "guizhou"), ("云南省", "yunnan"), ("陕西省", "shaanxi"), ("甘肃省", "gansu"),
    ("青海省", "qinghai"), ("台湾省", "taiwan"), ("内蒙古自治区", "neimenggu"), ("广西壮族自治区", "guangxi"),
    ("西藏自治区", "xizang"), ("宁夏回族自治区", "ningxia"), ("新疆维吾尔自治区", "xinjiang"))}


# a section of the genre: "一、概述", "二、主动公开政府信息情况", "三、依申请公开政府信息情况", "四、…行政复议…"
_GENRE_SECTION = re.compile(r"^\s*[一二三四五六七八]\s*[、.．].{0,24}(主动公开|依申请公开|政府信息公开|政务公开|总体情况|概述|行政复议)")
# a body named in a report's opening: "省人力资源社会保障厅", "河北省人社厅"
_OPENING_BODY = re.compile(rf"(?:[{_CJK}]{{2,6}}?[省市县区])?[省市县区][{_CJK}]{{1,10}}?(?:厅|局|委员会|委|办公室|中心)")
# a report's title run into the first line of a crawled page, after its breadcrumb and before its text:
# "…年报 平潭县教育局2011年度政府信息公开年度报告 来源：…" (a notice's "关于做好…年度报告…的通知" is not one)
_RUN_TITLE = re.compile(rf"(?<![{_CJK}《])(?<!关于)([{_CJK}]{{2,40}}\s?(?:19|20)\d\d\s?年度?[{_CJK}]{{0,16}}?(?:报告|年报))(?![{_CJK}》])")
# the verb announcing a run-on title: "发布" of "…要求，发布河北省教育厅2021年政府信息公开工作年度报告"
_ANNOUNCING = re.compile(r"^(?:现|特此|特|现予|予以)?(?:发布|公布|印发|编制|编写)(?:了|的)?")
# a signature anywhere in a run-on page: "…工作中。 平潭县安全生产监督管理局 二○一二年二月十日 …"
_SIGNATURE = re.compile(rf"(?:^|\s)([{_CJK}]{{2,30}}?(?:{_BODY_SUFFIX}))\s*(?:(?:19|20)\d{{2}}|[〇○零一二三四五六七八九]{{4}})年"
                        rf"[\d一二三四五六七八九十]{{1,2}}月[\d一二三四五六七八九十]{{1,3}}日")
# the genre's closing line names the body: "如对本报告有任何疑问，请与平潭综合实验区君山片区管理局党政办公室联系"
_CONTACT_BODY = re.compile(rf"请与([{_CJK}]{{4,40}}?(?:局|委员会|委|人民政府|政府|管委会|中心|办事处))[{_CJK}]{{0,8}}?联系")


# the genre's opening names who compiled the report: "本报告由南平市人民政府信息公开工作领导小组办公室根据《条例》…编制"
# (the government whose office compiled it is the body)
_COMPILED_BY = re.compile(rf"本(?:年度)?报告(?:是)?由([{_CJK}]{{2,12}}?(?:人民政府|管委会|办事处))[{_CJK}]{{0,20}}?"
                          r"(?:根据|依据|按照|编制|汇总|负责)")


def _has_report_sections(doc: Document) -> bool:
    return any(_GENRE_SECTION.match(p.text) for p in doc.paragraphs[:400] if not p.is_table_row)


def _body_in_opening(doc: Document) -> str:
    """The body a report saved without its title signs it with or names in its closing contact line, else the one
    it names first in its opening ("2018年，省人社厅坚决落实…"); names inside the titles of documents it cites
    (《河北省人民政府办公厅…》) are not it."""
    text = to_simplified(doc.text)
    named = _SIGNATURE.search(text)
    if named:
        return named.group(1)
    opening = re.sub(r"《[^》]*》", " ", text[:3000])
    compiler = _COMPILED_BY.search(opening)
    if compiler:
        return compiler.group(1)
    for m in _OPENING_BODY.finditer(opening):
        if "各" in m.group(0):
            continue  # "市各级各部门紧紧围绕中心": all the bodies of a place, no one of them
        if m.group(0)[0] == "省" or not re.match(_CJK_CHAR, opening[max(0, m.start() - 1):m.start()]):
            return m.group(0)  # (not the tail of a longer name: "区党工委" of "平潭综合实验区党工委")
    named = _CONTACT_BODY.search(text)
    return named.group(1) if named else ""


def _province_in_name(file: str) -> str:
    """The province a file's name begins with ("hebei_rensheting_2017.txt" -> 河北省), for a body named "省…厅"."""
    first = re.split(r"[_\-. ]", file.lower(), maxsplit=1)[0]
    return _PROVINCES.get(first, "")


def _file_year(file: str) -> int | None:
    """The year a file's name gives ("hebei_rensheting_2017.txt"), for a report whose text names none."""
    years = re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", file)
    return int(years[-1]) if len(set(years)) == 1 else None


def _year(title: str, doc: Document, published: str | None) -> int | None:
    """The year a report covers (title, then its opening text, then the year before publication); for other
    documents the year their title names, that a paragraph opens with ('2007年，我县…') or of the months a title
    counts up to its publication ('1-10月…'); a notice that only mentions dates covers no year."""
    if doc.kind != "annual_report":
        opening = (_WORK_YEAR.match(p.text) for p in doc.paragraphs[:40] if not p.is_table_row)
        return _title_year(title) or next((int(m.group(1)) for m in opening if m), None) or \
            _year_to_date(title, published)
    for text in (title, doc.text[:1500]):
        m = _YEAR.search(text)
        if m:
            return int(m.group(1))
        m = _CN_YEAR.search(text)
        if m and chinese_year(m.group(1)):
            return chinese_year(m.group(1))
    return int(published[:4]) - 1 if published else None


def _published(doc: Document, meta: dict) -> str | None:
    for key in ("发布日期", "發布日期", "发布时间", "發布時間", "生成日期", "成文日期", "发文日期"):
        if meta.get(key):
            date = parse_date(meta[key])
            if date:
                return date
    # the signature date at the end of the report
    for p in reversed(doc.paragraphs[-4:]):
        if len(p.text) <= 20:
            date = parse_date(p.text)
            if date:
                return date
    return None


def _pinyin(*names: str) -> str:
    from pypinyin import lazy_pinyin

    words: list[str] = []
    for name in names:
        if not name:
            continue
        syllables = [s.lower() for s in lazy_pinyin(name) if s.isalpha()]
        words.append("".join(syllables))
        words.extend(syllables)
        core = re.sub(r"(自治区|省|市|县|区|镇|乡|街道)$", "", name)
        if core != name and len(core) >= 2:
            words.append("".join(lazy_pinyin(core)).lower())
    return " ".join(dict.fromkeys(words))


# what kind of body issued a report, by the ending of its name (courts and state companies publish such reports too)
_ISSUERS = (("court", re.compile(r"(法院)$")), ("procuratorate", re.compile(r"(检察院|檢察院)$")),
            ("enterprise", re.compile(r"(公司|集团|集團|银行|銀行|有限责任公司)$")),
            ("institution", re.compile(r"(大学|大學|学院|學院|学校|學校|医院|醫院|研究院|研究所)$")))


def issuer_of(body: str) -> str:
    return next((kind for kind, pattern in _ISSUERS if pattern.search(body or "")), "government")


def _provenance(doc: Document, meta: dict, sources: dict, article_title: str) -> dict[str, str]:
    """Where title, body, year and publication date came from, so a wrong one can be traced."""
    title_src = "article" if article_title else sources.get("名称", "text") if meta.get("名称") else "text"
    body_src = "title" if doc.body and doc.body in doc.title else \
        next((sources.get(k, "page") for k in ("发布机构", "站点") if doc.body and doc.body == meta.get(k)), "text")
    pub_src = next((sources.get(k, "text") for k in ("发布日期", "發布日期", "发布时间", "發布時間") if meta.get(k)), "text")
    year_src = "" if doc.year is None else "title" if str(doc.year) in doc.title else "text"
    return {"title": title_src, "body": body_src, "year": year_src, "published": pub_src if doc.published else ""}


def describe(doc: Document, meta: dict, article_title: str = "", sources: dict | None = None) -> Document:
    """Fill the metadata fields of `doc` in place (and return it); `sources` says where each meta value came from."""
    sources = {re.sub(r"\s+", "", k): v for k, v in (sources or {}).items()}
    meta = {re.sub(r"\s+", "", k): v for k, v in meta.items()}
    for trad, simp in (("發布機構", "发布机构"), ("發布日期", "发布日期"), ("發布時間", "发布时间")):
        if trad in meta:
            meta.setdefault(simp, meta[trad])
    doc.title = _title(doc, meta, article_title)
    untitled = bool(_SECTION_NUMBER.match(doc.title)) and _has_report_sections(doc)
    doc.kind = "annual_report" if untitled else _kind(doc.title, doc)
    doc.body = (_body_in_opening(doc) if untitled else "") or _body(doc, doc.title, meta)
    own = places(doc.body) or places(doc.title)
    if own:
        doc.region, doc.level = own[-1]
    elif doc.body.startswith("省"):
        doc.level = "省"
        doc.region = _province_in_name(doc.file)  # "省人社厅" of hebei_rensheting_2017.txt: 河北省
        doc.body = doc.region + doc.body[1:] if doc.region.endswith("省") else doc.body
    doc.published = _published(doc, meta)
    doc.year = _year(doc.title, doc, doc.published) or (_file_year(doc.file) if doc.kind == "annual_report" else None)
    if untitled:  # a report saved without its title line: named by its body and year, as its title would
        doc.title = f"{doc.body}{doc.year or ''}年政府信息公开工作年度报告"
    doc.pinyin = _pinyin(doc.region, doc.body)
    doc.sources = _provenance(doc, meta, sources, article_title)
    doc.issuer = issuer_of(doc.body)
    return doc

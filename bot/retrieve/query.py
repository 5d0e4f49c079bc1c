"""Question analysis: language, year, place/body, question type, search terms; follow-up resolution."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field, replace

from bot.ingest.metadata import place_matches
from bot.store.lexical import words
from bot.text import CJK_CHAR as _CJK
from bot.text import CN_YEAR as _CN_YEAR
from bot.text import YEAR as _YEAR
from bot.text import find_year, normalize

# English domain terms -> Chinese terms used in the reports (general vocabulary of the genre, no figures).
GLOSSARY: dict[str, tuple[str, ...]] = {
    "application": ("申请", "依申请"), "applications": ("申请", "依申请"), "apply": ("申请",),
    "request": ("申请",), "requests": ("申请",),
    "receive": ("受理", "收到", "新收"), "received": ("受理", "收到", "新收"), "accept": ("受理",),
    "accepted": ("受理",), "handled": ("办理", "受理"), "handle": ("办理", "受理"), "processed": ("办理",),
    "disclosure": ("公开",), "disclose": ("公开",), "disclosed": ("公开",), "open": ("公开",),
    "government information": ("政府信息",), "information": ("信息",), "item": ("条", "项"), "items": ("条", "项"),
    "publish": ("公开", "发布"), "published": ("公开", "发布"), "proactively": ("主动公开",), "post": ("发布", "公开"), "posted": ("发布", "公开"), "proactive": ("主动公开",),
    "release": ("发布", "公开"), "released": ("发布", "公开"), "website": ("网站", "网"), "portal": ("门户网站",), "web": ("网",),
    "fee": ("费", "收费"), "fees": ("费", "收费"), "charge": ("收费", "收取"), "charged": ("收费", "收取"),
    "collect": ("收取",), "collected": ("收取",), "processing fee": ("信息处理费",), "processing fees": ("信息处理费",),
    "reconsideration": ("行政复议", "复议"), "reconsiderations": ("行政复议", "复议"), "review": ("复议",),
    "lawsuit": ("行政诉讼", "诉讼"), "lawsuits": ("行政诉讼", "诉讼"), "litigation": ("诉讼",), "sued": ("诉讼",),
    "complaint": ("投诉", "举报"), "complaints": ("投诉", "举报"),
    "consultation": ("咨询",), "consultations": ("咨询",), "inquiries": ("咨询",), "enquiries": ("咨询",),
    "phone": ("电话",), "telephone": ("电话",), "hotline": ("热线", "电话"), "number": ("数量",),
    "in person": ("当面",), "online": ("网络", "网上"), "letter": ("信函",), "fax": ("传真",),
    "visits": ("访问量", "访问"), "visit": ("访问",), "page views": ("访问量",),
    "civil affairs": ("民政",), "bureau": ("局",),
    # departments' usual English names the dictionary renders otherwise (公安局 is "the police")
    "police": ("公安",), "public security": ("公安",), "urban management": ("城管", "城市管理"), "government": ("政府",), "county": ("县",), "city": ("市",),
    "district": ("区",), "town": ("镇",), "township": ("乡", "镇"), "province": ("省",), "provincial": ("省",),
    "subsistence": ("低保",), "minimum living": ("低保",), "dibao": ("低保",), "households": ("户",),
    "household": ("户",), "recipients": ("对象",), "temporary assistance": ("临时救助",), "relief": ("救助", "救灾"),
    "disaster": ("灾", "救灾"), "funding": ("资金",), "funds": ("资金",), "fund": ("资金",), "allocated": ("下拨", "安排"),
    "money": ("资金",), "people": ("人", "人次"), "persons": ("人", "人次"), "person-times": ("人次",),
    "leading group": ("领导小组",), "head": ("组长",), "headed": ("组长",), "leader": ("组长", "负责人"),
    "director": ("局长",), "approval": ("审批",), "approvals": ("审批",), "administrative approval": ("行政审批",),
    "clean-up": ("清理",), "cleanup": ("清理",), "identify": ("梳理", "清理"), "identified": ("梳理", "清理"),
    "powers": ("职权",), "power": ("权力", "职权"), "supervision": ("监察", "监督"), "electronic": ("电子",),
    "completion": ("办结",), "early-completion": ("提前办结",), "rate": ("率",), "percentage": ("率", "%"),
    "service center": ("服务中心",), "service centre": ("服务中心",), "news": ("动态", "新闻"),
    "work news": ("工作动态",), "documents": ("文件",),
    "administrative penalty": ("行政处罚",),     "does not hold": ("不掌握",), "not hold": ("不掌握",),
    "refused": ("不予公开",), "partially": ("部分公开",),     "carried over": ("结转",), "carry over": ("结转",), "carried forward": ("结转",), "next year": ("结转下年度", "下年度"),
    "previous year": ("上年结转", "上年"), "last year": ("上年结转", "上年"),     "total": ("总计", "合计", "共"), "improvement": ("改进", "整改"),
    "training": ("培训",), "revamp": ("改版",), "revamped": ("改版",), "relaunched": ("改版",), "launched": ("开通", "运行"),
    # administrative levels ("市级文件N件，县区级文件M件")
    "municipal-level": ("市级",), "city-level": ("市级",), "municipal level": ("市级",), "city level": ("市级",),
    "county-level": ("县级", "县区级"), "county level": ("县级", "县区级"), "district-level": ("区级", "县区级"),
    "county/district-level": ("县区级",), "county/district level": ("县区级",), "provincial-level": ("省级",),
    "province-level": ("省级",), "township-level": ("乡镇级", "镇级"),
    "weibo": ("微博",), "wechat": ("微信",), "meetings": ("会议",),
    "villages": ("村",), "village": ("村",), "budget": ("预算",), "final accounts": ("决算",),
    "npc": ("人大",), "npc deputies": ("人大代表",), "deputies": ("代表",), "cppcc": ("政协",),
    "registration": ("登记", "注册"), "registrations": ("登记", "注册"), "donations": ("捐款", "捐赠"),
    "failed": ("不合格", "失败"), "unqualified": ("不合格",), "substandard": ("不合格",),
    "work order": ("工单",), "work orders": ("工单",),
    "fiscal": ("财政",), "public finance": ("财政",), "procurement": ("采购",),
    # the statutory tables of the post-2019 template
    "natural persons": ("自然人",), "natural person": ("自然人",), "individuals": ("自然人",),
    "legal persons": ("法人或其他组织",), "organizations": ("法人或其他组织",), "organisations": ("法人或其他组织",),
    "commercial enterprises": ("商业企业",), "businesses": ("商业企业",), "companies": ("商业企业",),
    "research institutions": ("科研机构",), "public welfare": ("社会公益组织",), "law firms": ("法律服务机构",),
    "legal service": ("法律服务机构",), "new applications": ("本年新收",), "newly received": ("本年新收",),
    "disclosed in full": ("予以公开",), "granted": ("予以公开",), "fully disclosed": ("予以公开",),
    "partially disclosed": ("部分公开",), "partial disclosure": ("部分公开",), "not disclosed": ("不予公开",),
    "state secrets": ("国家秘密",), "state secret": ("国家秘密",), "third parties": ("第三方合法权益",),
    "third party": ("第三方合法权益",), "internal affairs": ("内部事务信息",), "process information": ("过程性信息",),
    "deliberative": ("过程性信息",), "case files": ("行政执法案卷",), "law enforcement": ("行政执法",),
    "administrative inquiry": ("行政查询事项",), "unable to provide": ("无法提供",), "could not be provided": ("无法提供",),
    "does not exist": ("不掌握",), "needs to be created": ("另行制作",), "newly created": ("另行制作",),
    "unclear": ("不明确",), "not processed": ("不予处理",), "petitions": ("信访举报投诉",), "repeated": ("重复申请",),
    "publications": ("公开出版物",), "withdrew": ("撤回",), "withdraw": ("撤回",), "withdrawn": ("撤回",), "overdue": ("逾期",),
    "other handling": ("其他处理",), "licensing": ("行政许可",), "licenses": ("行政许可",), "permits": ("行政许可",),
    "penalties": ("行政处罚",), "penalty": ("行政处罚",), "coercion": ("行政强制",), "enforcement measures": ("行政强制",),
    "administrative fees": ("行政事业性收费",), "issued": ("制发",), "repealed": ("废止",), "abolished": ("废止",),
    "in force": ("现行有效",), "currently valid": ("现行有效",), "rules": ("规章",), "regulations": ("规章", "规范性文件"),
    "normative documents": ("规范性文件",), "normative": ("规范性文件",), "upheld": ("结果维持",),
    "corrected": ("结果纠正",), "overturned": ("结果纠正",), "not yet concluded": ("尚未审结",), "pending": ("尚未审结",),
    "other results": ("其他结果",), "without reconsideration": ("未经复议直接起诉",), "after reconsideration": ("复议后起诉",),
    "press conferences": ("新闻发布会",), "press conference": ("新闻发布会",), "interpretations": ("政策解读",),
    "policy interpretation": ("政策解读",), "gazette": ("公报",), "new media": ("政务新媒体",),
    "processing": ("办理",), "answered": ("答复",), "replied": ("答复",), "replies": ("答复",),
    "traffic": ("访问量",), "page visits": ("访问量",), "column": ("专栏", "栏目"), "columns": ("专栏", "栏目"),
    "staff": ("工作人员",), "employees": ("工作人员",), "problems": ("问题", "不足"), "shortcomings": ("问题", "不足"),
    "email": ("电子邮箱", "邮箱"), "e-mail": ("电子邮箱", "邮箱"), "address": ("地址",), "postcode": ("邮编",),
    "ghost employees": ("吃空饷",), "empty salary": ("吃空饷",), "industry and commerce": ("工商",),
    "administrative": ("行政",), "reporting period": ("统计期限",), "contact": ("联系", "咨询电话"),
}

_QUANTITY_PATTERNS = re.compile(
    r"多少|几[件条个次人户项家名]|数量|总数|总量|比例|比率|占比|金额|how many|how much|number of|what percentage|"
    r"what share|rate|count|totals?\b|figure", re.I)
_YESNO = re.compile(r"有没有|是否|有无|吗[?？]?$|did .* (any|receive)|were there|was there|has .* any|have .* any|^(did|does|do|is|are|was|were|has|have)\b", re.I)
_WHO = re.compile(r"谁|何人|哪位|负责人|组长是|who\b|whom|which (?:[a-z'-]+ ){0,4}?(?:official|leader|person|director|chief|officer|cadre)s?\b", re.I)
_WHEN = re.compile(r"何时|什么时候|哪天|哪一天|几月几日|日期|when\b|what date|which date|which day", re.I)
_PHONE = re.compile(r"电话|热线|号码|phone|telephone|hotline|contact number", re.I)

# a zone named after its place ("平潭综合实验区", "苏州工业园区", "海坛片区"): the place's own name names it too
# ("Pingtan's …", "the Haitan Area Administration")
_ZONE = re.compile(r"^([\u4e00-\u9fff]{2})(?:综合实验|经济技术开发|经济开发|高新技术产业开发|高新技术开发|高新|工业园|保税|自贸|片)")


@dataclass(frozen=True)
class Catalog:
    """What the index holds, for matching questions to reports: doc id -> (year, place cores, body, pinyin)."""

    years: dict[str, int | None]
    regions: dict[str, tuple[str, ...]]  # doc id -> place name cores found in region (牡丹江, 洪泽)
    bodies: dict[str, tuple[str, ...]]  # doc id -> place cores inside the body name (淮安 for 淮安市洪泽区…)
    body_names: dict[str, str]
    pinyin: dict[str, str]  # place core -> joined pinyin ("mudanjiang", "huaian")
    place_cores: frozenset[str] = frozenset()  # every place core of every report, computed once

    @classmethod
    def from_documents(cls, docs) -> Catalog:
        years, regions, bodies, names, pinyin = {}, {}, {}, {}, {}
        for d in docs:
            years[d.id] = d.year
            names[d.id] = normalize(d.body)
            regions[d.id] = tuple(_place_cores(normalize(d.region), whole_if_none=True))
            # only place names inside a body name count: "工商局" alone names no particular report
            bodies[d.id] = tuple(c for c in _place_cores(normalize(d.body)) if c not in regions[d.id])
            regions[d.id] += tuple(m.group(1) for c in regions[d.id] if (m := _ZONE.match(c)))
            bodies[d.id] += tuple(m.group(1) for c in bodies[d.id] if (m := _ZONE.match(c)))
            for core in regions[d.id] + bodies[d.id]:
                pinyin.setdefault(core, _joined_pinyin(core))
        near = _one_apart(pinyin)
        for d in docs:
            regions[d.id] += _misread_as(regions[d.id], d.file, pinyin, near)
        return cls(years, regions, bodies, names, pinyin, frozenset(pinyin))

    @property
    def doc_ids(self) -> list[str]:
        return list(self.years)


def _one_apart(pinyin: dict[str, str]) -> dict[str, list[str]]:
    """Place cores by each of their one-character wildcards ("沭阳" under "?阳" and "沭?"): cores one character
    apart share a key, found without comparing every pair (the catalog is built on every index load)."""
    near: dict[str, list[str]] = {}
    for core in pinyin:
        for i in range(len(core)):
            near.setdefault(core[:i] + "\x00" + core[i + 1:], []).append(core)
    return near


def _misread_as(cores: tuple[str, ...], file: str, pinyin: dict[str, str], near: dict[str, list[str]]) -> tuple[str, ...]:
    """Another report's place that this report's place is a one-character misreading of, by its file name: an OCR'd
    "沐阳县人民政府" in shuyang_2025.txt is 沭阳 (shuyang), a place other reports name. Both must agree (one
    character apart, and the file names the other place's pinyin, not its own), so 泗阳 is never taken for 沭阳."""
    stem = re.sub(r"[^a-z]", "", file.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower())
    return tuple(other for core in cores for other in _near(core, near)
                 if len(pinyin[other]) >= 4 and pinyin[other] in stem and pinyin.get(core, "") not in stem)


def _near(core: str, near: dict[str, list[str]]) -> list[str]:
    """The cores exactly one character apart from `core`, in catalog order."""
    found = dict.fromkeys(o for i in range(len(core)) for o in near.get(core[:i] + "\x00" + core[i + 1:], ()))
    found.pop(core, None)
    return list(found)


def _place_cores(text: str, whole_if_none: bool = False) -> list[str]:
    """'淮安市洪泽区' -> ['淮安', '洪泽']; '牡丹江市' -> ['牡丹江']; a bare '立岗' when asked and nothing else."""
    cores = [core for core, _ in place_matches(text)]
    if whole_if_none and not cores and 2 <= len(text) <= 4:
        cores.append(text)
    return cores


@functools.lru_cache(maxsize=4096)
def _joined_pinyin(text: str) -> str:
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(text)).lower()


@dataclass(frozen=True)
class QueryInfo:
    text: str  # the question as asked (possibly rewritten from a follow-up)
    norm: str
    lang: str  # "zh" or "en"
    year: int | None = None
    doc_ids: tuple[str, ...] = ()  # reports whose place/body the question names
    unknown_place: str = ""  # a place the question names that no report covers
    qtype: str = "fact"  # quantity | yesno | who | when | phone | fact
    terms: tuple[str, ...] = ()  # normalized Chinese search terms (content words)
    carried: tuple[str, ...] = field(default=())  # what a follow-up took from the previous turn
    topic: str = ""  # for a follow-up: the earlier question whose topic it carries
    operand: bool = False  # one part of a combined question: asks for its single figure (bot/answer/parts.py)

    @property
    def embed_query(self) -> str:
        return embed_part(self.topic or self.text)

    @property
    def search_text(self) -> str:
        """Text for lexical search: the normalized question plus translated terms."""
        return self.norm + " " + " ".join(self.terms)


# what the dense retriever embeds of a long message: embedding time grows with its length (a 2,000-character
# question took seconds), while the question itself is a sentence; every question of the QA sets is shorter
EMBED_MAX_CHARS = 160
_SENTENCE = re.compile(r"(?<=[。！？!?；;\n])|(?<=\.)\s+")
_ASKING = re.compile(r"[?？吗呢]|多少|几[件个条次年]|哪|什么|怎[么样]|如何|是否|有没有|有无|"
                     r"\b(how|what|which|when|who|whom|whose|why|where|did|does|do|is|are|was|were)\b", re.I)


def embed_part(text: str, limit: int = EMBED_MAX_CHARS) -> str:
    """The text to embed for a question: itself when short; for a long message the last sentence that asks
    something (else the last sentence), cut to its last `limit` characters. Lexical search still reads it all."""
    if len(text) <= limit:
        return text
    sentences = [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]
    part = ([s for s in sentences if _ASKING.search(s)] or sentences or [text])[-1]
    return part[-limit:]


def detect_language(text: str) -> str:
    cjk = len(_CJK.findall(text))
    latin = len(re.findall(r"[A-Za-z]", text))
    return "zh" if cjk >= max(2, latin / 4) else "en"


_PINYIN_SYLLABLE = re.compile(
    r"(zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|"
    r"er|in|un|ia|ie|iu|ua|uo|ui|ue|a|o|e|i|u|v)")


def is_pinyin_word(word: str) -> bool:
    """True when the word splits into pinyin syllables (Beijing, Mudanjiang), used to spot place names."""
    @functools.cache
    def ok(i: int) -> bool:
        if i == len(word):
            return True
        return any(ok(j) for j in range(len(word), i, -1)
                   if _PINYIN_SYLLABLE.fullmatch(word, i, j))
    return len(word) >= 5 and ok(0)


_ENGLISH_NON_PLACES = frozenset(
    "how many much what which who when where did does the and for from with that this were was have has "
    "there their information government applications application bureau city county district town province "
    "report annual public office center centre affairs civil disclosure leading group agency items item "
    "website phone number total open publish published receive received accept accepted".split())


def _pinyin_words(raw: str) -> set[str]:
    """The words of an English text as the catalog spells places in pinyin: "Huai'an's" -> huaian, "Shu yang" ->
    shuyang too."""
    words = re.findall(r"[a-z]+", re.sub(r"['’]s\b", "", raw.lower()).replace("'", "").replace("’", ""))
    return set(words) | {a + b for a, b in zip(words, words[1:])}


def places_in_english(raw: str, catalog: Catalog) -> set[str]:
    """The catalog's place cores an English text names in pinyin."""
    word_set = _pinyin_words(raw)
    return {core for core, py in catalog.pinyin.items() if py in word_set}


def _match_places(norm: str, raw: str, catalog: Catalog) -> tuple[tuple[str, ...], str]:
    """Doc ids whose place the question names (region beats a place inside a body name), and an unknown place."""
    word_set = _pinyin_words(raw)

    def named(core: str) -> bool:
        return core in norm or catalog.pinyin.get(core, "\x00") in word_set

    scores: dict[str, int] = {}
    for doc_id in catalog.doc_ids:
        if any(named(c) for c in catalog.regions[doc_id]):
            scores[doc_id] = 2
        elif any(named(c) for c in catalog.bodies[doc_id]):
            scores[doc_id] = 1
    unknown = ""
    if not scores:
        known = catalog.place_cores
        for core in _place_cores(norm):
            if not any(core in k or k in core for k in known):
                unknown = core
                break
        if not unknown:
            # a capitalised pinyin-like word where a place stands: "in Beijing", "Shanghai's", "Wuhan city"
            for m in re.finditer(r"\b(?:in|of|did|does|for|from|at|about)(?: the)? ([A-Z][a-z]+(?:'[a-z]+)?)\b|"
                                 r"\b([A-Z][a-z]+(?:'[a-z]{2,})?)(?=['’]s\b| (?:city|county|district|province|town|"
                                 r"township|prefecture|municipality|municipal|provincial|government|civil|bureau)\b)", raw):
                w = re.sub(r"'s$", "", m.group(1) or m.group(2))
                lw = w.lower().replace("'", "")
                if lw not in _ENGLISH_NON_PLACES and is_pinyin_word(lw) and lw not in catalog.pinyin.values():
                    unknown = w
                    break
    if not scores and find_year(norm):  # (a yearly report's body; its other writings may name no body at all)
        scores = dict.fromkeys(_abbreviated(catalog.doc_ids, norm, catalog), 1)
    if not scores:
        return (), unknown
    best = max(scores.values())
    ids = _inner_places(tuple(d for d, s in scores.items() if s == best), named, norm, catalog)
    ids = _closest_bodies(ids, norm, catalog, _ACRONYM.findall(raw))
    other = _other_body(norm, ids, catalog) if _CJK.search(norm) else _other_body_en(norm, ids, catalog)
    return ((), other) if other else (ids, unknown)


_TWO_NAMED = re.compile(r"和|与|及|、|比|对比|\band\b|\bvs\b|versus|compared|\bthan\b", re.I)


def _inner_places(doc_ids: tuple[str, ...], named, norm: str, catalog: Catalog) -> tuple[str, ...]:
    """A place named inside its parent ("Junshan Area Administration of Pingtan", "淮安市洪泽区"): the reports of the
    inner place, whose parent is named too, not the parent's other bodies; two places named side by side ("淮安市和
    洪泽区") keep both."""
    if len(doc_ids) < 2 or _TWO_NAMED.search(norm):
        return doc_ids
    inner = tuple(d for d in doc_ids if any(named(c) for c in catalog.regions[d])
                  and any(named(c) for c in catalog.bodies[d]))
    return inner or doc_ids


# a department named right after its place: "河北省民政厅", "上海市科委", "平潭行政审批局" (a hall, 政务大厅, is none;
# an office or a centre may be where the government's own report was written, so they are not told apart)
_BODY_AFTER_PLACE = r"[省市县区州旗]?((?:(?!的|和|与|及|年)[\u4e00-\u9fff]){1,10}?(?:(?<!大)厅|局|委员会|委))"


def _other_body(norm: str, doc_ids: tuple[str, ...], catalog: Catalog) -> str:
    """The body a Chinese question names after the place, when no report of that place is that body's ("河北省民政厅"
    where the index holds 河北省人社厅's): the reports of the place's other bodies must not answer for it."""
    for d in doc_ids:
        for core in catalog.regions.get(d, ()) + catalog.bodies.get(d, ()):
            m = re.search(re.escape(core) + _BODY_AFTER_PLACE, norm)
            if m is None:
                # the place's government named ("信丰县人民政府") where only its departments reported
                g = re.search(re.escape(core) + r"[省市县区州旗镇乡]?((?:人民)?政府)(?!办|信息|网站|门户|工作报告)", norm)
                governments = [catalog.body_names.get(i, "") for i in doc_ids]
                if g and not any(re.search(r"政府|管委会|管理委员会|办事处", b) for b in governments):
                    return core + "人民政府"
                continue
            asked = m.group(1)
            bodies = [catalog.body_names.get(i, "") for i in doc_ids] + [own_name(i, catalog).strip() for i in doc_ids]
            if any(set(asked) <= set(b) or same_body(asked, b) for b in bodies if b):
                return ""  # (its name in full where the report shortens it: 卫生健康委员会 of 信丰县卫生健康委)
            return core + asked
    return ""


def _abbreviated(doc_ids, norm: str, catalog: Catalog) -> list[str]:
    """Reports of the body a question names by its own name or a shortening of it, with or without its place
    ("省工信厅" for 河北省工业和信息化厅, "河北科技厅" for 河北省科学技术厅)."""
    asked = [m.group(1) for m in re.finditer(_BODY_AFTER_PLACE, norm)]
    return [d for d in doc_ids if asked and (own := own_name(d, catalog).strip()) and " " not in own
            and any(len(a := _without_places(x, d, catalog, "")) >= 3 and same_body(a, own) for x in asked)]


_LEVEL_AFTER = r"(?:[省县区州旗镇乡]|市(?!场))?"  # the level after a place's core (not the 市 of 市场监督管理局)

# words of a body's name that tell no body of a place from another (a level character only where it stands alone:
# the 市 of 市场监督管理局 is the body's own)
_PLAIN_BODY = re.compile(r"人民政府|政府|人民|(?<![\u4e00-\u9fff])[省市县区镇乡](?![\u4e00-\u9fff])")


def own_name(doc_id: str, catalog: Catalog) -> str:
    """A report's body name without its places and the words every government has ("平潭综合实验区行政审批局" ->
    " 行政审批局"): what tells it from the place's other bodies."""
    return _PLAIN_BODY.sub(" ", _without_places(catalog.body_names.get(doc_id, ""), doc_id, catalog, " "))


def _without_places(name: str, doc_id: str, catalog: Catalog, gap: str) -> str:
    """A name with the report's places and their levels replaced by `gap` ("河北省教育厅" -> gap + "教育厅")."""
    for core in catalog.regions.get(doc_id, ()) + catalog.bodies.get(doc_id, ()):
        name = re.sub(re.escape(core) + _LEVEL_AFTER, gap, name)
    return name


def _closest_bodies(doc_ids: tuple[str, ...], norm: str, catalog: Catalog, acronyms=()) -> tuple[str, ...]:
    """Among the reports of the named place, those of the bodies whose own words the question names: "上海市人民
    政府办公厅" names the 办公厅, not the 科委, though both are 上海's; "Hebei HRSS" names 人力资源和社会保障厅 by
    its acronym. No such words named: all of them."""
    def own_words(doc_id: str) -> list[str]:
        return [w for w in words(own_name(doc_id, catalog)) if len(w) >= 2]

    if len(doc_ids) < 2:
        return doc_ids
    norm = _QUOTED.sub(" ", norm)  # a quoted name is an account or a column ("“九原政务”微信公众号"), not a body
    pool = _english_renderings(_english_body_phrase(norm) or norm) if not _CJK.search(norm) else ""
    place = {d: (catalog.regions.get(d, ()) + catalog.bodies.get(d, ()))[:1] for d in doc_ids}
    # (an English question naming a place twice names two of its bodies, one perhaps in words the dictionary
    # misses, "the Shanghai S&T Commission and the Shanghai general office": renderings must not narrow it to one)
    once = {d for d in doc_ids if not place[d] or norm.count(catalog.pinyin.get(place[d][0], "\x00")) <= 1}
    said = {d: n for d in doc_ids
            if (n := sum(bool(w in norm or (pool and d in once and set(w) <= set(pool))) for w in own_words(d)))}
    # the closest name: of one place's bodies, those with the most of their own words said ("market regulation" says
    # 市场 of 市场监督管理局; "administrative penalty" says 行政 of 行政审批局 too, but only that)
    named = {d for d, n in said.items() if n == max(said[e] for e in said if place[e] == place[d])}
    whole = {d for d in doc_ids if acronyms and _spelled_by(acronyms, own_name(d, catalog))}
    whole |= set(_abbreviated(doc_ids, norm, catalog))  # "河北科技厅" names 科学技术厅 as a whole
    named = whole | {d for d in named if place[d] not in {place[w] for w in whole}}
    # one body's reports of other years, its name written out or shortened ("人社厅", "人力资源和社会保障厅")
    named |= {d for d in doc_ids if any(place[d] == place[n] and same_body(catalog.body_names.get(d, ""),
                                                                       catalog.body_names.get(n, "")) for n in named)}
    # each place on its own: naming 上海's 办公厅 drops 上海's 科委, not 淮安's government named beside it
    # (one name of two places, "Pingtan": 平潭县 and 平潭综合实验区, is one place here)
    narrowed = {place[d][0] for d in named if place[d]}
    return tuple(d for d in doc_ids if d in named or not any(
        place[d] and (place[d][0] in n or n in place[d][0]) for n in narrowed))


_QUOTED = re.compile(r"[“「『\"'‘][^”」』\"'’]{1,20}[”」』\"'’]")  # "“九原政务”", "'one-thing'"
_ACRONYM = re.compile(r"\b[A-Z]{3,6}\b")  # "HRSS", "DRC": a body's name by its initials


def body_acronyms(raw: str, catalog: Catalog | None) -> frozenset[str]:
    """The acronyms in a question that spell the own name of a body the index holds ("HRSS" for 人社厅's reports),
    lower-cased: they name the report, which the scope chooses, not what is asked."""
    found = _ACRONYM.findall(unicodedata.normalize("NFKC", raw))
    if not found or catalog is None:
        return frozenset()
    names = {own_name(d, catalog) for d in catalog.doc_ids}
    return frozenset(a.lower() for a in found if any(_spelled_by((a,), n) for n in names))


def _spelled_by(acronyms, name: str) -> bool:
    from bot.retrieve.lexicon import spells  # the dictionary loads on first use, only for questions with acronyms

    return any(spells(a, name) for a in acronyms)


# an English department's name: "the Department of Civil Affairs", "the development and reform bureau"
_EN_DEPARTMENT_OF = re.compile(r"\b(?:department|bureau|commission|administration) of ((?:[a-z]+ ){0,5}?[a-z]+)(?= in\b|"
                               r" for\b| receive| get| handle| did| do| have| has| publish|'s|[,?.]|$)")
_EN_X_DEPARTMENT = re.compile(r"((?:[a-z]+ ){1,5})(?:department|bureau|commission)\b")
_EN_BODY_FILLER = frozenset("the a an of and municipal provincial county city district town people's peoples government "
                            "local state".split())


def _english_body_phrase(norm: str) -> str:
    """The words an English question names its body by ("the pingtan market regulation bureau" -> "pingtan market
    regulation bureau"), '' when it names none: its other words ("administrative penalty") say what is asked."""
    low = norm.lower()
    m = _EN_DEPARTMENT_OF.search(low) or _EN_X_DEPARTMENT.search(low)
    return m.group(0) if m else ""


def _other_body_en(norm: str, doc_ids: tuple[str, ...], catalog: Catalog) -> str:
    """An English question's department that none of the place's reports is, by the dictionary's renderings of its
    words ("Civil Affairs" gives 民政…, sharing no character with 人社厅): "" when one may be it, or when the words
    render to nothing (the dictionary cannot tell, so the reports are not ruled out)."""
    low = norm.lower()
    m = _EN_DEPARTMENT_OF.search(low) or _EN_X_DEPARTMENT.search(low)
    if m is None or not doc_ids:
        return ""
    places = set(catalog.pinyin.values())
    said = m.group(1).split()
    if m.re is _EN_X_DEPARTMENT:  # "…did the hebei civil affairs department": back from the noun to a place or a
        stop = [k for k, w in enumerate(said) if w in EN_FUNCTION_WORDS or w in places or w.endswith("'s")]
        said = said[stop[-1] + 1:] if stop else said  # function word
    named = [w for w in said if w not in _EN_BODY_FILLER and w not in places]
    pool = set(_english_renderings(" ".join(named))) if named else set()
    if len(pool) < 4:
        return ""
    if any((set(own_name(d, catalog)) - set(" 厅局委办会员室中心管理")) & pool for d in doc_ids):
        return ""
    noun = re.search(r"department|bureau|commission|administration", m.group(0)).group(0)
    return f"{noun} of {' '.join(named)}" if m.re is _EN_DEPARTMENT_OF else f"{' '.join(named)} {noun}"


_ABBREVIATED_END = re.compile(r"(?:办公室|委员会)$")


def same_body(a: str, b: str) -> bool:
    """Two names of one body: one is the other shortened, keeping its characters in order, its first and its last
    ("河北省人社厅" of "河北省人力资源和社会保障厅", "发改局" of "发展和改革局")."""
    short, full = sorted((a, b), key=len)
    full = _ABBREVIATED_END.sub(lambda m: m.group(0)[0], full)  # "人防办" of 人民防空办公室, "卫健委" of …委员会
    if not short or short[0] != full[0] or short[-1] != full[-1]:
        return False
    rest = iter(full)
    return all(ch in rest for ch in short)


def _english_renderings(low: str) -> str:
    """The Chinese characters an English question's words and word pairs render to (glossary, then dictionary):
    "science and technology commission" gives 科学…技术…委托, so it names 科委 (whose characters all appear)."""
    from bot.retrieve.lexicon import renderings  # the dictionary loads on first use, only for English questions

    tokens = re.findall(r"[a-z]+", low)
    grams = tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]
    return "".join("".join(GLOSSARY.get(g, ()) + renderings(g)) for g in grams if g not in EN_FUNCTION_WORDS)


# English function words: they name neither a body nor a figure (bot.answer.extractive adds the genre's nouns)
EN_FUNCTION_WORDS = frozenset("how many much what which who when where did does do the a an of in on at for to from "
                              "by with and or was were is are be has have had this that it its".split())


_PHONE_STRONG = re.compile(r"号码|電話號碼|phone number|telephone number|contact number|热线|电话是|電話是|"
                           r"which (tele)?phone|what (tele)?phone|what number (?:\w+ ){0,4}(?:phone|call|ring|dial)|"
                           r"number to (?:phone|call|ring|dial)|打什么电话|拨打什么|打哪个电话", re.I)


_COUNTED_CALLS = re.compile(r"(多少|几)[个個件次通条條]|how many", re.I)  # "接了多少个有效电话": calls counted


def _question_type(text: str) -> str:
    if _PHONE_STRONG.search(text) and not _COUNTED_CALLS.search(text):
        return "phone"
    if _QUANTITY_PATTERNS.search(text) and not re.search(r"电话(是)?多少[?？]?$", text):
        return "quantity"  # "电话咨询多少人次" counts calls; it does not ask for a number to dial
    if _PHONE.search(text):
        return "phone"
    if _WHO.search(text):
        return "who"
    if _WHEN.search(text):
        return "when"
    if _QUANTITY_PATTERNS.search(text):
        return "quantity"
    if _YESNO.search(text):
        return "yesno"
    return "fact"


def unglossed(norm: str) -> str:
    """What of an English question no glossary phrase takes (its other words are rendered by the dictionary)."""
    low = norm.lower()
    for phrase in sorted(GLOSSARY, key=len, reverse=True):
        low = re.sub(r"\b" + re.escape(phrase) + r"\b", " ", low)
    return low


def _terms(norm: str, lang: str) -> tuple[str, ...]:
    terms: list[str] = []
    if lang == "en":
        low = norm.lower()
        for phrase in sorted(GLOSSARY, key=len, reverse=True):
            if re.search(r"\b" + re.escape(phrase) + r"\b", low):
                terms.extend(GLOSSARY[phrase])
                low = low.replace(phrase, " ")
    # Chinese words in the question itself (also in English questions: "(工作动态)")
    terms.extend(words(norm))
    seen: dict[str, None] = {}
    for t in terms:
        seen.setdefault(normalize(t), None)
    return tuple(seen)


# what the asker rules out, in brackets or after "rather than": "（注意不是2023年）", "(the 2023 report, not 2024)",
# "(不是上海市科委)", "rather than the county government"; its year or body must not count as asked
_RULED_OUT = re.compile(r"[（(][^（()）]*?(?:不是|而非|并非|\bnot\b)[^（()）]*[)）]|"
                        r"(?:而不是|而非|\brather than\b|\binstead of\b)[^,，。;；?？)）]{1,30}", re.I)
# the part of a bracket that affirms: "the 2023 report" of "(the 2023 report, not 2024)"
_AFFIRMED = re.compile(r"^[（(]\s*([^,，;；]*?)\s*[,，;；]\s*(?:注意)?(?:不是|而非|并非|not\b)", re.I)


def drop_ruled_out(question: str) -> str:
    """The question without what it rules out; a bracket keeps its affirming part ("(the 2023 report, not 2024)")."""
    def keep(m: re.Match) -> str:
        affirmed = _AFFIRMED.match(m.group(0))
        return f" ({affirmed.group(1)}) " if affirmed and affirmed.group(1) else " "

    return re.sub(r"\s{2,}", " ", _RULED_OUT.sub(keep, question)).strip()


# an English negation contracted: "didn't" -> "did not", "can't" -> "can not", "won't" -> "will not"
_CONTRACTED = re.compile(r"\b(ca|wo|[a-z]+)n['’]t\b", re.I)


def expand_contractions(question: str) -> str:
    return _CONTRACTED.sub(lambda m: {"ca": "can", "wo": "will"}.get(m.group(1).lower(), m.group(1)) + " not", question)


def analyze(question: str, catalog: Catalog | None = None) -> QueryInfo:
    question = drop_ruled_out(expand_contractions(question))
    if _FROM_INTO.search(normalize(question)):
        # "carried over from 2020 into 2021" is one figure of the 2021 report, its 上年结转: one year is named
        question = _FROM_YEAR.sub("from the previous year", question, count=1)
    norm = normalize(question)
    lang = detect_language(question)
    year = find_year(norm)
    named_report = _REPORT_OF_YEAR.search(norm)
    if named_report:  # "in 2019, according to its 2020 report": the report's year, the other is the figure's
        year = int(named_report.group(1) or named_report.group(2))
    elif year and _INTO_NEXT_YEAR.search(norm) and not FROM_PREVIOUS_YEAR.search(norm):
        year -= 1  # "carried over into 2025" is said in the 2024 report
    doc_ids, unknown = _match_places(norm, unicodedata.normalize("NFKC", question), catalog) if catalog else ((), "")
    return QueryInfo(text=question, norm=norm, lang=lang, year=year, doc_ids=doc_ids, unknown_place=unknown,
                     qtype=_question_type(norm), terms=_terms(norm, lang))


# a year named as the one applications are carried into: "carry over into 2025", "结转到2025年"
_FROM_YEAR = re.compile(r"\bfrom (?:the year )?(?:19|20)\d\d\b", re.I)
_FROM_INTO = re.compile(r"carr(?:y|ied|ies) (?:over|forward) from (?:the year )?(?:19|20)\d\d (?:in)?to (?:the year )?"
                        r"((?:19|20)\d\d)", re.I)
# the report named by its year beside another year: "…in 2019, according to its 2020 report", "2020年报告中…2019年"
_REPORT_OF_YEAR = re.compile(r"\b(?:according to|in|from) (?:its|the|their) ((?:19|20)\d\d) (?:annual )?report\b|"
                             r"((?:19|20)\d\d)年度?的?(?:年度)?(?:报告|年报)(?:中|里|里面)", re.I)
# "carried over into 2022 from the previous year": the year named is the report's, its 上年结转
FROM_PREVIOUS_YEAR = re.compile(r"from (?:the )?(?:previous|last|prior) year|from the year before", re.I)
_INTO_NEXT_YEAR = re.compile(r"carr(?:y|ied|ies) (?:over|forward) (?:in)?to (?:the year )?(?:19|20)\d\d|"
                             r"结转(?:到|至|入)(?:19|20)\d\d", re.I)


_FOLLOWUP_WORDS = frozenset("and what about how in for then the year city county district town province of".split())


def is_followup(info: QueryInfo) -> bool:
    """A short question that names a year or a place but no topic of its own ('and in 2015?', '那咸宁呢?',
    'What about Xianning?')."""
    if info.year is None and not info.doc_ids or len(info.norm) > 40:
        return False
    rest = _CN_YEAR.sub("", _YEAR.sub("", info.text))
    rest = re.sub(r"\b[A-Z][\w'’]*", "", rest)  # capitalised words name the place
    rest = re.sub(r"[A-Za-z']+", lambda m: "" if m.group(0).lower() in _FOLLOWUP_WORDS else m.group(0), rest)
    rest = re.sub(r"[那呢吗年的?？,，.。!！\s]|还有|情况|怎么样|如何|又", "", normalize(rest))
    return len(rest) <= 6


# a question that continues the conversation: "And how many…", "那…", "还有…", "其中…"
_CONTINUES = re.compile(r"^\s*(and|also|what about|how about|of (those|these|them)|then|那|还有|另外|其中|同年|该|这)", re.I)


def _continues(info: QueryInfo, previous: QueryInfo) -> QueryInfo:
    """A question with its own topic that continues the previous turn: it keeps the report(s) already asked about."""
    carried = []
    year, doc_ids = info.year, info.doc_ids
    if year is None and previous.year is not None:
        year, _ = previous.year, carried.append("year")
    if not doc_ids and previous.doc_ids:
        doc_ids, _ = previous.doc_ids, carried.append("place")
    return replace(info, year=year, doc_ids=doc_ids, carried=tuple(carried)) if carried else info


def resolve_followup(info: QueryInfo, previous: QueryInfo | None) -> QueryInfo:
    """Carry the topic, and whichever of year/place the new question leaves out, from the previous turn."""
    if previous is None:
        return info
    if not is_followup(info):
        named = info.year is not None or info.doc_ids or info.unknown_place
        return _continues(info, previous) if _CONTINUES.match(info.text) and not named else info
    carried = []
    year, doc_ids = info.year, info.doc_ids
    if year is None and previous.year is not None:
        year, _ = previous.year, carried.append("year")
    if not doc_ids and previous.doc_ids:
        doc_ids, _ = previous.doc_ids, carried.append("place")
    carried.append("topic")
    return replace(previous, text=info.text, year=year, doc_ids=doc_ids, unknown_place=info.unknown_place,
                   carried=tuple(carried), topic=previous.topic or previous.text)

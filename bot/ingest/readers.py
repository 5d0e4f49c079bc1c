"""Readers: a report file (txt, html, pdf, docx) -> lines of text, tables as one line per row.

Table rows come out as "row label > sub label | column header: value | ... | 总计: value" so every
number keeps its row label and column header in one line that can be quoted on its own.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from bot.errors import ReadError
from bot.files import SUPPORTED_SUFFIXES
from bot.ingest.zipcheck import check_zip
from bot.text import CJK as _CJK

_NUMERIC = re.compile(r"[-+]?[\d,，]*\d(?:\.\d+)?%?")
_COMMON_HANZI = frozenset("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产"
                          "种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本"
                          "去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反明看原又么利比或但"
                          "质气第向道命此变条只没结解问意建月公无系很情者最立代想已通并提直题党程展五果料象员位入常文总次品式活设"
                          "及管特件长求老头基资边流路级少图山统接知较将组见计别手角期根论运农指几九区强放决西被干做必战先回则任取"
                          "据处理府研信息申请局市县镇乡")


@dataclass(frozen=True)
class Line:
    text: str
    is_table_row: bool = False


# ----------------------------------------------------------------- bytes -> text
def decode_text(data: bytes, name: str = "file") -> str:
    """Detect the encoding (UTF-8/16 with or without BOM, GBK/GB18030, Big5...) instead of assuming UTF-8."""
    if not data.strip():
        raise ReadError(f"{name} is empty: nothing to index; remove it or replace it with the report")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Chinese pages are GBK/GB18030 far more often than anything else, and detectors guess Korean for short
    # GBK text: try the Chinese codecs strictly and keep the reading with the most common Chinese characters.
    readings = []
    for codec in ("gb18030", "big5"):
        try:
            decoded = data.decode(codec)
        except UnicodeDecodeError:
            continue
        readings.append((sum(1 for c in decoded if c in _COMMON_HANZI), decoded))
    if readings:
        score, decoded = max(readings, key=lambda r: r[0])
        if score:
            return decoded
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ReadError(f"{name} is not text in any encoding we recognise (binary data?): "
                        "save the report as .txt (UTF-8 or GBK), .html, .pdf or .docx")
    encoding = best.encoding.lower()
    if encoding in ("gb2312", "gbk", "hz"):
        encoding = "gb18030"  # superset: rare characters in GBK-labelled pages decode too
    text = data.decode(encoding, errors="replace")
    return text


def _looks_binary(text: str) -> bool:
    sample = text[:4000]
    bad = sum(1 for c in sample if (ord(c) < 32 and c not in "\r\n\t\f") or c == "\ufffd")
    return bad > max(8, len(sample) // 50)


# ----------------------------------------------------------------- tables -> lines
def _clean_cell(cell) -> str | None:
    if cell is None:
        return None
    text = re.sub(r"\s*\n\s*", "", str(cell)).strip()
    return text or None


def _is_number(cell: str | None) -> bool:
    return bool(cell) and bool(_NUMERIC.fullmatch(cell.replace(" ", "")))


TableState = tuple[list[list[str | None]], list[str | None]]  # header block, labels of the last row


def table_rows(rows: list[list], previous: TableState | None = None) -> tuple[list[str], TableState]:
    """Rows of a table grid (None = merged cell) -> one text line per data row.

    Returns the lines and the table state, so a table continued on the next page keeps its header
    and its merged row labels.
    """
    grid = [[_clean_cell(c) for c in row] for row in rows if row]
    lines: list[str] = []
    header: list[list[str | None]] = []
    header_done = previous is not None
    above: list[str | None] = []
    if previous is not None:
        header, above = previous
    first_value = None  # the first value column of the last data row
    for row in grid:
        numeric = [_is_number(c) for c in row]
        if not any(numeric):
            if header_done and first_value and not any(row[first_value:]) and any(row[:first_value]):
                above = list(row)  # a label-only row ("三、办理结果") names the rows below it
                continue
            if header_done:
                header, header_done = [], False
            header.append(row)
            continue
        header_done = True
        first_value = numeric.index(True)
        # row labels: a merged (None) label cell inherits from above only when the label goes on to its right
        labels: list[str] = []
        current: list[str | None] = []
        for j, cell in enumerate(row):
            if numeric[j]:
                current.append(None)
                continue
            if cell is None and any(row[k] and not numeric[k] for k in range(j + 1, len(row))):
                cell = above[j] if j < len(above) else None
            current.append(cell)
            if cell and cell not in labels:
                labels.append(cell)
        above = current
        if not labels:  # a label cell spanning the header and this row (rowspan) names the row
            labels = [h[j] for h in header for j in range(len(row)) if j < len(h) and h[j] and not numeric[j]][:1]
        cells = []
        heads = _column_headers(header, len(row), [j for j, n in enumerate(numeric) if n])
        for j, cell in enumerate(row):
            if numeric[j]:
                cells.append(f"{heads[j]}: {cell}" if heads[j] else cell)
        lines.append(" > ".join(labels) + " | " + " | ".join(cells) if labels else " | ".join(cells))
    return lines, (header, above)


def _column_headers(header: list[list[str | None]], width: int, value_columns: list[int]) -> list[str]:
    """Header path per column; a merged header cell spans right only over columns subdivided below it."""
    paths: list[list[str]] = [[] for _ in range(width)]
    for r, row in enumerate(header):
        last = None
        for j in range(width):
            cell = row[j] if j < len(row) else None
            if cell is not None:
                last = cell
            elif last is not None and any(j < len(h) and h[j] for h in header[r + 1:]):
                cell = last
            if cell and cell not in paths[j]:
                paths[j].append(cell)
    # a label shared by every column ("申请人情况") tells nothing about any one of them
    value_paths = [set(paths[j]) for j in value_columns]
    common = set.intersection(*value_paths) if len(value_paths) > 1 else set()
    return ["/".join(p for p in path if p not in common) for path in paths]


# ----------------------------------------------------------------- formats
def read_txt(data: bytes, name: str) -> list[Line]:
    text = decode_text(data, name)
    if _looks_binary(text):
        raise ReadError(f"{name} looks like binary data, not text: save the report as .txt, .html, .pdf or .docx")
    if re.search(r"<(html|body|div|p|table)\b", text[:5000], re.I):
        return html_lines(text)
    return _with_headers([line for raw in text.splitlines() if (line := _text_line(raw)) is not None])


def _with_headers(lines: list[Line]) -> list[Line]:
    """Markdown table rows under a header row of as many cells read "label | header: value", as HTML tables do."""
    out, header = [], None
    for line in lines:
        cells = line.text.split(" | ") if line.is_table_row else None
        if cells is None:
            header = None
        elif not re.search(r"\d", line.text):
            # narrow headers name their columns; wide ones (table 三's nine) come broken over several lines
            # from PDF text, so those columns go by position instead
            header = cells if 2 <= len(cells) <= 5 and all(cells) else None
        elif header and len(cells) == len(header):
            # a first cell that is a value (a table of values only, "| 12 | 3 | 5 |") has its header too
            first = 0 if _is_number(cells[0]) else 1
            line = Line(" | ".join(cells[:first] + [f"{h}: {c}" if c else "" for h, c in zip(header[first:], cells[first:])]),
                        True)
        out.append(line)
    return out


# a Markdown table row as crawlers and converters write it: "| 一、本年新收政府信息公开申请数量 | 1259 | 36 |"
_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$|^[^|]+(\|[^|]*){3,}$")


def _text_line(raw: str) -> Line | None:
    """A line of a text file; a Markdown table row becomes a table row, its "|---|" rule line nothing."""
    if not _PIPE_ROW.match(raw) or raw.count("|") < 3:
        return Line(raw)
    cells = [c.strip() for c in raw.strip().strip("|").split("|")]
    if all(re.fullmatch(r":?-{2,}:?", c) or not c for c in cells):
        return None
    return Line(" | ".join(cells), True)  # empty cells stay: they keep the columns in place


def decode_html(data: bytes, name: str) -> str:
    text = decode_text(data, name)
    m = re.search(rb"charset=[\"']?([\w-]+)", data[:3000], re.I)
    if m and not _strict_utf8(data):  # a declared charset wins over detection, but not over valid UTF-8
        try:
            text = data.decode(m.group(1).decode().lower().replace("gb2312", "gb18030"), errors="replace")
        except (LookupError, UnicodeError):  # not a text encoding, or one that fails whatever `errors` says (idna)
            pass
    return text


def _strict_utf8(data: bytes) -> bool:
    """Bytes that decode as UTF-8 and hold non-ASCII text are UTF-8, whatever a stale <meta charset> says."""
    try:
        return data.decode("utf-8") != data.decode("ascii", "ignore")
    except UnicodeDecodeError:
        return False


def looks_like_html(data: bytes, suffix: str) -> bool:
    if suffix in (".htm", ".html"):
        return not data.startswith((b"%PDF", b"PK"))
    head = data[:5000].decode("utf-8", "ignore") + data[:5000].decode("gb18030", "ignore")
    return suffix == ".txt" and bool(re.search(r"<(html|body|div|p|table)\b", head, re.I))


def read_html(data: bytes, name: str) -> list[Line]:
    return html_lines(decode_html(data, name))


def html_lines(html: str) -> list[Line]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style", "nav", "header", "footer", "noscript", "iframe", "form", "select"]):
        tag.decompose()
    lines: list[Line] = []
    for table in soup.find_all("table"):
        grid = _html_table_grid(table)
        rows, _ = table_rows(grid)
        marker = soup.new_tag("p")
        marker.string = "\x00TABLE\x00" + "\x01".join(rows)
        table.replace_with(marker)
    for br in soup.find_all("br"):
        br.replace_with("\n")
    body = soup.body or soup
    text = body.get_text("\n")
    for raw in text.splitlines():
        if raw.startswith("\x00TABLE\x00"):
            lines.extend(Line(r, True) for r in raw[len("\x00TABLE\x00"):].split("\x01") if r)
        else:
            lines.append(Line(raw))
    return lines


def _span(value) -> int:
    """A colspan/rowspan as browsers read it: its leading digits, 1 when there are none ('2"', '</div' from a
    broken page), at most 100 (a page cannot make the grid huge)."""
    m = re.match(r"\s*(\d+)", value if isinstance(value, str) else "")
    return min(max(int(m.group(1)), 1), 100) if m else 1


def _html_table_grid(table) -> list[list[str | None]]:
    grid: list[list[str | None]] = []
    spans: dict[tuple[int, int], None] = {}
    for r, tr in enumerate(table.find_all("tr")):
        row: list[str | None] = []
        j = 0
        for td in tr.find_all(["td", "th"]):
            while (r, j) in spans:
                row.append(None)
                j += 1
            row.append(td.get_text(" ", strip=True))
            cs, rs = _span(td.get("colspan")), _span(td.get("rowspan"))
            for dr in range(rs):
                for dc in range(cs):
                    if dr or dc:
                        spans[(r + dr, j + dc)] = None
            j += 1
            for _ in range(cs - 1):
                row.append(None)
                j += 1
        while (r, j) in spans:
            row.append(None)
            j += 1
        grid.append(row)
    return grid


# what pdfminer/pdfplumber and python-docx raise on damaged files besides their own exceptions (a missing
# MediaBox is a TypeError, a cut stream a zlib or struct error, a reference loop a RecursionError)
_PARSER_ERRORS = (ValueError, KeyError, TypeError, AttributeError, IndexError, AssertionError, RecursionError,
                  ArithmeticError, EOFError, NotImplementedError, struct.error, zlib.error)


def read_docx(data: bytes, name: str) -> list[Line]:
    from docx import Document as DocxDocument
    from docx.opc.exceptions import OpcError
    from lxml.etree import LxmlError

    check_zip(data, name)
    try:
        doc = DocxDocument(io.BytesIO(data))
        body = getattr(doc.element, "body", None)  # None when document.xml is well-formed XML but not a Word body
        lines = None if body is None else _docx_lines(doc, body)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, LxmlError, OpcError, *_PARSER_ERRORS) as exc:
        raise ReadError(f"{name} is not a valid .docx file ({exc.__class__.__name__}: {str(exc)[:200]}): re-save it "
                        "from Word or export it as PDF") from exc
    if lines is None:
        raise ReadError(f"{name} has no Word document body: re-save it from Word or export it as PDF")
    return lines


def _docx_lines(doc, body) -> list[Line]:
    from docx.oxml.ns import qn
    from docx.table import Table

    lines: list[Line] = []
    for block in body.iterchildren():
        if block.tag == qn("w:p"):
            text = "".join(t.text or "" for t in block.iter(qn("w:t")))
            lines.append(Line(text))
        elif block.tag == qn("w:tbl"):
            table = Table(block, doc)
            grid = []
            for row in table.rows:
                seen: list = []
                cells = []
                for cell in row.cells:
                    # merged cells come back as the same cell object repeated
                    cells.append(None if any(cell._tc is s for s in seen) else cell.text)
                    seen.append(cell._tc)
                grid.append(cells)
            rows, _ = table_rows(grid)
            lines.extend(Line(r, True) for r in rows)
    return lines


def read_pdf(data: bytes, name: str) -> list[Line]:
    import pdfplumber
    from pdfminer.psparser import PSException  # every pdfminer parse error derives from it
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            lines = _pdf_lines(pdf)
    except (PSException, PdfminerException, *_PARSER_ERRORS) as exc:
        raise ReadError(f"{name} is not a readable PDF ({exc.__class__.__name__}: {str(exc)[:200]}): check the "
                        "file or export it again") from exc
    if not any(l.text.strip() for l in lines):
        raise ReadError(f"{name} has no text layer (a scanned PDF?): OCR it first, or add the report as text")
    return lines


def _pdf_lines(pdf) -> list[Line]:
    lines: list[Line] = []
    state = None
    last_width = None
    for page in pdf.pages:
        tables = []
        for t in page.find_tables():
            grid = t.extract()
            if any(_is_number(_clean_cell(c)) for row in grid for c in row):
                tables.append((t.bbox, grid))

        def outside(obj, boxes=tuple(b for b, _ in tables)) -> bool:
            cx = (obj.get("x0", 0) + obj.get("x1", 0)) / 2
            cy = (obj.get("top", 0) + obj.get("bottom", 0)) / 2
            return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

        text_page = page.filter(outside) if tables else page
        items: list[tuple[float, list[Line]]] = []
        for tl in text_page.extract_text_lines(layout=False, strip=True):
            items.append((tl["top"], [Line(_pdf_spaces(tl["text"]))]))
        for bbox, grid in tables:
            width = max(len(r) for r in grid)
            first_is_data = any(_is_number(_clean_cell(c)) for c in grid[0])
            # a table continued from the previous page keeps that page's header
            prev = state if first_is_data and width == last_width else None
            rows, state = table_rows(grid, prev)
            last_width = width
            items.append((bbox[1], [Line(_pdf_spaces(r), True) for r in rows]))
        for _, block in sorted(items, key=lambda x: x[0]):
            lines.extend(block)
    return lines


def _pdf_spaces(text: str) -> str:
    """PDF extraction puts spaces between CJK and digits ("2024 年"); the page shows none."""
    text = re.sub(rf"(?<=[{_CJK}（）()《》“”、，。：；])\s+(?=[\w%（(《“])", "", text)
    return re.sub(rf"(?<=[\w%）)》”])\s+(?=[{_CJK}（）()《》“”、，。：；])", "", text)


def read_lines(path: Path, data: bytes | None = None) -> list[Line]:
    """Lines of a report file, dispatched by content first and extension second."""
    name = Path(path).name
    suffix = Path(path).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ReadError(f"{name}: unsupported file type {suffix or '(none)'}; supported: "
                        f"{', '.join(sorted(SUPPORTED_SUFFIXES))}")
    if data is None:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise ReadError(f"cannot read {path}: {exc.strerror}") from exc
    if not data.strip():
        raise ReadError(f"{name} is empty: nothing to index; remove it or replace it with the report")
    if data.startswith(b"%PDF"):
        return read_pdf(data, name)
    if data.startswith(b"PK"):
        if suffix != ".docx":
            raise ReadError(f"{name} is a zip/Office file, not {suffix}: rename it to .docx if it is a Word file")
        return read_docx(data, name)
    if suffix == ".pdf":
        raise ReadError(f"{name} does not start with %PDF: it is not a PDF file; check the download")
    if suffix == ".docx":
        raise ReadError(f"{name} is not a Word .docx file (no zip container): re-save it from Word")
    if suffix in (".htm", ".html"):
        return read_html(data, name)
    return read_txt(data, name)


def sniff(name: str, data: bytes) -> None:
    """Check content against the extension before anything is parsed (uploads)."""
    suffix = Path(name).suffix.lower()
    if suffix == ".pdf" and not data.startswith(b"%PDF"):
        raise ReadError(f"{name} is not a PDF (it does not start with %PDF)")
    if suffix == ".docx" and not (data.startswith(b"PK") and b"word/" in data[:65536]):
        raise ReadError(f"{name} is not a Word .docx file")
    binary_start = data.startswith((b"%PDF", b"PK", b"\x7fELF", b"MZ"))
    nul_heavy = data[:4096].count(b"\x00") > 16 and not data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if suffix in (".txt", ".htm", ".html", ".csv", ".jsonl") and (binary_start or nul_heavy):
        raise ReadError(f"{name} is binary data, not a text or HTML report")

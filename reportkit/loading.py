"""Read a report file from disk and decode it exactly, without cleaning. Path → Document."""

from __future__ import annotations

import codecs
import hashlib
import importlib
import io
import logging
import os
import re
from pathlib import Path
from types import ModuleType

from reportkit import lexicon as lx
from reportkit.document import Document
from reportkit.errors import InputError, MissingExtraError

logger = logging.getLogger("reportkit")

TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm", ".shtml")
SUPPORTED_SUFFIXES: tuple[str, ...] = TEXT_SUFFIXES + HTML_SUFFIXES + (".docx", ".pdf")

_SUPPORTED_TEXT = ", ".join(SUPPORTED_SUFFIXES) + " (or a text file with no suffix)"

# Formats people save reports in that we do not read, with the conversion that fixes it.
_SAVE_AS_DOCX = {".doc", ".wps", ".rtf", ".odt", ".pages"}
_IMAGES = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp"}

_PERMISSION = "permission denied: make the file readable (e.g. chmod u+r) or run as a user who can read it"
_HTML_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S
)
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
_BAD_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936", "euc_cn"}

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def read(path: str | os.PathLike[str]) -> Document:
    """Read one report file into a Document with no boilerplate marked.

    The text is exactly what the file decodes to (only a byte-order mark is dropped), so every
    later span indexes the same string; cleaning is a separate stage.

    Args:
        path: a ``.txt``/``.md``/suffix-less text file, an HTML page, a ``.docx`` or a ``.pdf``.

    Returns:
        A Document whose ``sha256`` is the hash of the raw file bytes.

    Raises:
        InputError: the path cannot be read as a report; the message names the fix.
        MissingExtraError: the format needs an optional extra that is not installed.
    """
    p = Path(path)
    source = str(path)
    suffix = _suffix(p)
    try:
        is_dir, exists = p.is_dir(), p.exists()
    except PermissionError as exc:
        raise InputError(_PERMISSION, path=source) from exc
    if is_dir:
        raise InputError(
            "this is a directory, not a file: pass the report files themselves, "
            "or use a glob such as 'reports/*.txt'",
            path=source,
        )
    if not exists:
        raise InputError("the file does not exist: check the path and the working directory", path=source)
    if suffix not in SUPPORTED_SUFFIXES and suffix != "":
        # Saved web pages keep odd suffixes (.php, .aspx, .jsp): sniff before refusing.
        if not _HTML_START.match(_read_bytes(p, source, limit=1024)):
            raise InputError(_unsupported_message(suffix), path=source)
    raw = _read_bytes(p, source)
    if not raw:
        raise InputError("the file is empty: pass the file that holds the report text", path=source)
    digest = hashlib.sha256(raw).hexdigest()

    if suffix == ".docx":
        text, fmt, encoding = _read_docx(raw, source), "docx", None
    elif suffix == ".pdf":
        text, fmt, encoding = _read_pdf(raw, source), "pdf", None
    elif suffix in HTML_SUFFIXES or _HTML_START.match(raw[:1024]):
        text, encoding = _read_html(raw, source)
        fmt = "html"
    else:
        text, encoding = _decode_text(raw, source)
        fmt = "text"
    if not text.strip():
        raise InputError(
            "the file is empty (it holds no visible text): pass the file with the report", path=source
        )
    return Document(text=text, source=source, sha256=digest, format=fmt, encoding=encoding)


def _suffix(p: Path) -> str:
    """The lower-case suffix, or "" when the dot is part of the name (``2023.12工作总结``)."""
    suffix = p.suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z][a-z0-9]{0,5}", suffix) else ""


def _read_bytes(p: Path, source: str, limit: int = -1) -> bytes:
    try:
        with p.open("rb") as fh:
            return fh.read(limit)
    except PermissionError as exc:
        raise InputError(_PERMISSION, path=source) from exc
    except OSError as exc:
        reason = exc.strerror or exc
        raise InputError(f"the file cannot be read ({reason}): check the path", path=source) from exc


def _unsupported_message(suffix: str) -> str:
    if suffix in _SAVE_AS_DOCX:
        fix = f"open it in Word, WPS or LibreOffice and save it as .docx (reportkit reads {_SUPPORTED_TEXT})"
    elif suffix in _IMAGES:
        fix = f"run OCR on the image first and pass the text (reportkit reads {_SUPPORTED_TEXT})"
    else:
        fix = f"convert it to one of {_SUPPORTED_TEXT}"
    return f"unsupported file type '{suffix}': {fix}"


def _not_text(raw: bytes, source: str) -> InputError:
    """The error for bytes that are not text, with a hint when the real format is recognisable."""
    hint = ""
    if raw.startswith(b"%PDF-"):
        hint = " (it looks like a PDF: rename it to .pdf)"
    elif raw.startswith(b"PK\x03\x04"):
        hint = " (it looks like a ZIP-based file such as .docx: give it its real suffix)"
    elif raw.startswith(b"\xd0\xcf\x11\xe0"):
        hint = " (it looks like an old Word/Excel file: save it as .docx)"
    message = f"the file does not look like text{hint}: reportkit reads {_SUPPORTED_TEXT}"
    return InputError(message, path=source)


# --- text decoding ---------------------------------------------------------------------------


def _strict(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _decode_text(raw: bytes, source: str) -> tuple[str, str]:
    """Decode text bytes, judging the encoding from the bytes alone (never from the suffix)."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            text = _strict(raw, encoding)
            if text is None:
                raise _not_text(raw, source)
            return text, encoding  # these codecs drop the BOM themselves
    if b"\x00" in raw:
        raise _not_text(raw, source)
    text = _strict(raw, "utf-8")
    encoding = "utf-8"
    if text is None:
        text, encoding = _decode_legacy(raw, source)
    if len(_BAD_CONTROLS.findall(text)) > max(1, len(text) // 200):
        raise _not_text(raw, source)
    return text, encoding


def _decode_legacy(raw: bytes, source: str) -> tuple[str, str]:
    """Pick between GB and Big5 ourselves, and ask charset-normalizer only when neither fits.

    Detectors guess wrong on a sentence or two of GBK; but GBK text is almost all in GB2312's
    common rows, while Big5 read as GBK (or the reverse) lands in rare rows, so a strict decode
    plus that share settles it even for short texts.
    """
    candidates: list[tuple[float, int, str, str]] = []
    gb = _strict(raw, "gb18030")
    if gb is not None:
        candidates.append((_common_share(gb, "gb2312"), 2, gb, "gb18030"))
    for rank, codec in enumerate(("big5", "big5hkscs")):
        b5 = _strict(raw, codec)
        if b5 is not None:
            candidates.append((_common_share(b5, "big5"), -rank, b5, codec))
    if candidates:
        share, _, text, encoding = max(candidates)
        if share >= 0.7:
            logger.debug("decoded as %s (%.0f%% common CJK)", encoding, share * 100)
            return text, encoding

    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        raise _not_text(raw, source)
    encoding = codecs.lookup(best.encoding).name
    if encoding in _GB_FAMILY and gb is not None:
        encoding = "gb18030"  # the superset: GB2312/GBK labels often hide GBK-only characters
    text = _strict(raw, encoding)
    if text is None:
        raise _not_text(raw, source)
    return text, encoding


def _common_share(text: str, table: str) -> float:
    """Share of non-ASCII characters that are CJK punctuation or common ideographs of ``table``.

    Common means GB2312 level 1 (lead bytes B0–D7) or Big5 frequent characters (A4–C6).
    """
    total = good = 0
    low, high = (0xB0, 0xD7) if table == "gb2312" else (0xA4, 0xC6)
    for ch in text[:20000]:
        if ch < "\x80":
            continue
        total += 1
        if "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef" or "\u2000" <= ch <= "\u206f":
            good += 1
        elif "\u4e00" <= ch <= "\u9fff":
            try:
                good += low <= ch.encode(table)[0] <= high
            except UnicodeEncodeError:
                pass
    return good / total if total else 0.0


# --- HTML -----------------------------------------------------------------------------------

_DROP_TAGS = {"script", "style", "noscript", "template", "head", "title", "iframe", "svg", "object"}
_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "html", "li", "main", "nav", "ol", "p", "section", "table", "tbody", "tfoot",
    "thead", "ul",
}
_HTML_SPACE = re.compile(r"[ \t\r\n\f]+")


def _require(module: str, extra: str, source: str, what: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError(extra, path=source, what=what) from exc


def _read_html(raw: bytes, source: str) -> tuple[str, str]:
    bs4 = _require("bs4", "html", source, "HTML pages")
    html, encoding = _decode_html(raw, source)
    soup = bs4.BeautifulSoup(html, "html.parser")  # stdlib backend: output must not depend on lxml
    out = _Lines()
    _walk(soup, out, bs4)
    return out.text(), encoding


def _decode_html(raw: bytes, source: str) -> tuple[str, str]:
    """BOM, then the page's declared charset, then detection as for plain text.

    A page that is valid UTF-8 is read as UTF-8 even when its meta says gb2312: GBK text is
    practically never valid UTF-8, and mislabelled pages are common.
    """
    if any(raw.startswith(bom) for bom, _ in _BOMS):
        return _decode_text(raw, source)
    match = _META_CHARSET.search(raw[:8192])
    if match:
        try:
            declared = codecs.lookup(match.group(1).decode("ascii")).name
        except LookupError:
            declared = ""
        if declared in _GB_FAMILY:
            declared = "gb18030"
        if declared and declared not in ("utf-8", "utf-16", "utf-32") and (
            raw.isascii() or _strict(raw, "utf-8") is None
        ):
            text = _strict(raw, declared)
            if text is not None:
                return text, declared
    return _decode_text(raw, source)


class _Lines:
    """Collects visible text; block boundaries become a single line break."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.in_line = False  # the current line has visible text

    def add(self, text: str) -> None:
        if text.strip():
            self.in_line = True
            self.parts.append(text)
        elif text and self.in_line:
            self.parts.append(text)

    def newline(self, force: bool = False) -> None:
        if force or self.in_line:
            self.parts.append("\n")
        self.in_line = False

    def text(self) -> str:
        lines = [line.strip(" \t") for line in "".join(self.parts).split("\n")]
        kept: list[str] = []
        for line in lines:
            if line.strip() or (kept and kept[-1].strip()):
                kept.append(line if line.strip() else "")
        while kept and not kept[-1]:
            kept.pop()
        return "\n".join(kept)


def _walk(node: object, out: _Lines, bs4: ModuleType) -> None:
    for child in node.children:  # type: ignore[attr-defined]
        if isinstance(child, bs4.element.Tag):
            name = child.name.lower()
            if name in _DROP_TAGS:
                continue
            if name == "br":
                out.newline(force=True)
            elif name == "tr":
                _walk_row(child, out, bs4)
            elif name == "pre":
                out.newline()
                out.add(child.get_text())
                out.newline()
            elif name in _BLOCK_TAGS:
                out.newline()
                _walk(child, out, bs4)
                out.newline()
            else:
                _walk(child, out, bs4)
        elif type(child) in (bs4.element.NavigableString, bs4.element.CData):
            out.add(_HTML_SPACE.sub(" ", str(child)))


def _walk_row(row: object, out: _Lines, bs4: ModuleType) -> None:
    """A row of one-line cells becomes ``a | b | c``; a layout row holding blocks stays blocks."""
    cells: list[str] = []
    spans: list[int] = []
    for cell in row.find_all(["td", "th"], recursive=False):  # type: ignore[attr-defined]
        sub = _Lines()
        _walk(cell, sub, bs4)
        cells.append(sub.text())
        spans.append(_colspan(cell))
    out.newline()
    if any("\n" in cell for cell in cells):
        for cell in cells:
            out.add(cell)
            out.newline()
    elif sum(1 for cell in cells if cell.strip()) >= 2 and any(ch.isdigit() for cell in cells for ch in cell):
        # a row of figures keeps every column's place (an empty cell, a colspan's extra columns), so
        # a figure stands under its own header: 新增市场主体 | 户 |  | 12.5; a row of words drops them
        out.add(" | ".join(_grid_cells([cell.strip() for cell in cells], spans)))
        out.newline()
    else:
        out.add(" | ".join(cell.strip() for cell in cells if cell.strip()))
        out.newline()


def _docx_row(cells: list[str | None]) -> str:
    """A docx row as ``a | b``: a merged cell's text once; in a row of figures its other grid columns
    stay as empty cells, so each figure keeps its column's place (as ``_walk_row`` does for HTML)."""
    if any(ch.isdigit() for cell in cells if cell for ch in cell):
        grid = [cell or "" for cell in cells]
        while grid and not grid[-1]:
            grid.pop()
        return " | ".join(grid)
    return " | ".join(cell for cell in cells if cell is not None)


def _colspan(cell: object) -> int:
    try:
        return max(1, min(int(cell.get("colspan", 1)), 50))  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        return 1


def _grid_cells(cells: list[str], spans: list[int]) -> list[str]:
    """The cells of a table row, one per grid column: a cell spanning n columns is followed by n-1 empty ones."""
    out: list[str] = []
    for cell, span in zip(cells, spans):
        out.append(cell)
        out.extend([""] * (span - 1))
    while out and not out[-1]:
        out.pop()  # trailing empty cells say nothing
    return out


# --- DOCX and PDF ---------------------------------------------------------------------------


def _read_docx(raw: bytes, source: str) -> str:
    docx = _require("docx", "docx", source, "Word .docx files")
    try:
        document = docx.Document(io.BytesIO(raw))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if hasattr(block, "rows"):
                for row in block.rows:
                    seen: set[int] = set()
                    cells: list[str | None] = []
                    for cell in row.cells:
                        if id(cell._tc) in seen:  # a merged cell is returned once per grid column
                            cells.append(None)
                            continue
                        seen.add(id(cell._tc))
                        cells.append(" ".join(cell.text.split("\n")).strip())
                    lines.append(_docx_row(cells))
            else:
                lines.append(block.text)
    except Exception as exc:  # python-docx raises many types for a damaged package
        raise InputError(
            "the .docx file is damaged or not really a .docx: "
            "open it in Word or WPS and save it again as .docx",
            path=source,
        ) from exc
    return "\n".join(lines)


def _read_pdf(raw: bytes, source: str) -> str:
    pypdf = _require("pypdf", "pdf", source, "PDF files")
    try:
        reader = pypdf.PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError("the PDF is password-protected: remove the password and try again", path=source)
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except Exception as exc:  # pypdf raises many types for a damaged file
        raise InputError(
            "the PDF is damaged or not really a PDF: re-export it from the original document",
            path=source,
        ) from exc
    text = "\n\n".join(_reflow(page) for page in pages)
    if not text.strip():
        raise InputError(
            "the PDF has no extractable text; it seems to be a scanned image and needs OCR first "
            "(e.g. ocrmypdf), then pass the OCR'd PDF",
            path=source,
        )
    return text


# A PDF breaks lines where the page is full, even inside a number (…规模以上工业总产值7 / 6.8亿元) or a
# word (同 / 比增长). A line that fills the page's width continues on the next line, unless that
# one is indented or opens a heading or list item.
_WRAP_SHARE = 0.85  # a line this close to the page's text width was wrapped, not ended
_MIN_WRAP_WIDTH = 16.0  # pages of short lines (tables, lists) are left alone
_ITEM_START = re.compile(
    f"[{lx.CN_HEADING_NUMERALS}]{{1,3}}[\u3001{lx.ITEM_MARKER_VERBS}]"
    f"|[{lx.PAREN_OPEN_CLASS}][{lx.CN_HEADING_NUMERALS}0-9]{{1,3}}[{lx.PAREN_CLOSE_CLASS}]"
    f"|[0-9]{{1,2}}[{lx.ARABIC_MARKER_END_CLASS}][^0-9]|[{lx.char_class(lx.CIRCLED_ITEM_NUMBERS)}]"
)


def _visual_width(line: str) -> float:
    """Width in ideographs: ASCII letters and digits take about half a CJK character."""
    return sum(0.55 if ch.isascii() else 1.0 for ch in line.strip())


def _reflow(page: str) -> str:
    """Join the visual line wraps of one PDF page back into paragraphs."""
    lines = page.split("\n")
    widths = [_visual_width(line) for line in lines]
    ranked = sorted(widths)
    full = ranked[int(0.9 * (len(ranked) - 1))] if ranked else 0.0
    if full < _MIN_WRAP_WIDTH:
        return page
    out = [lines[0]]
    for prev_width, line in zip(widths, lines[1:]):
        continues = prev_width >= _WRAP_SHARE * full and line[:1].strip() and not _ITEM_START.match(line)
        if continues:
            out[-1] += line
        else:
            out.append(line)
    return "\n".join(out)

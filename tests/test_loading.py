"""Tests for reportkit.loading: files of every supported kind in, exact Documents or clear errors out."""

from __future__ import annotations

import codecs
import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reportkit.errors import InputError, MissingExtraError
from reportkit.loading import SUPPORTED_SUFFIXES, read

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

SIMPLIFIED = (
    "古城街道2023年工作总结\n"
    "2023年,市桥街牢记嘱托、感恩奋进,紧密结合党的二十大精神。"
    "全年共受理信访案件671宗,已办结634宗,办结率94.5%。\n"
    "一是经济增长不够有力。入库工业企业增量不足,高质量发展基础尚不牢固。\n"
)
TRADITIONAL = (
    "臺北市政府工作報告 二〇二三年度\n"
    "本年度市政府持續推動都市更新,完成社會住宅興建三千戶,並強化交通運輸與防災韌性。"
    "各機關將依照預算執行,確保施政績效,讓市民感受到城市進步。\n"
)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- plain text and encodings ------------------------------------------------------------------


def test_utf8_text_is_exact_and_hashed_from_raw_bytes(tmp_path: Path) -> None:
    text = "  标题\r\n\r\n正文第一段。 \t\n\n\n末行无换行"
    raw = text.encode("utf-8")
    path = write(tmp_path, "r.txt", raw)
    doc = read(path)
    assert doc.text == text  # no newline or whitespace normalisation, no strip
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()
    assert doc.source == str(path)
    assert (doc.format, doc.encoding, doc.boilerplate) == ("text", "utf-8", ())


def test_source_keeps_the_string_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "r.md", "# 工作总结\n".encode())
    monkeypatch.chdir(tmp_path)
    assert read("r.md").source == "r.md"


@pytest.mark.parametrize(
    ("text", "codec", "expected"),
    [
        (SIMPLIFIED, "gbk", "gb18030"),
        ("古城街道完成452.7亩土地征收。", "gbk", "gb18030"),  # one short sentence
        ("鄞州区工作总结", "gbk", "gb18030"),  # a title only, with a level-2 character
        ("𠮷野家所在的鄞州区2023年工作报告,完成投资3亿元。", "gb18030", "gb18030"),  # 4-byte sequence
        (SIMPLIFIED, "gb2312", "gb18030"),
        (TRADITIONAL.replace("〇", "零"), "big5", "big5"),
        ("這是一個測試。", "big5", "big5"),  # short Big5
        (TRADITIONAL, "big5hkscs", "big5hkscs"),  # 〇 exists only in the HKSCS table
        ("臺北市政府工作報告 二〇二三年度", "big5hkscs", "big5hkscs"),
    ],
    ids=[
        "gbk", "gbk-short", "gbk-title", "gb18030", "gb2312", "big5", "big5-short", "big5hkscs", "big5-title"
    ],
)
def test_legacy_chinese_encodings_are_detected_from_bytes(
    tmp_path: Path, text: str, codec: str, expected: str
) -> None:
    raw = text.encode(codec)
    doc = read(write(tmp_path, "r.txt", raw))
    assert doc.text == text
    assert doc.encoding == expected
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()


def test_utf8_bom_is_not_part_of_the_text(tmp_path: Path) -> None:
    raw = codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8")
    doc = read(write(tmp_path, "r.txt", raw))
    assert doc.text == SIMPLIFIED
    assert doc.encoding == "utf-8-sig"
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(tmp_path: Path, codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    doc = read(write(tmp_path, "r.txt", bom + SIMPLIFIED.encode(codec)))
    assert doc.text == SIMPLIFIED
    assert doc.encoding == "utf-16"


def test_encoding_comes_from_bytes_not_suffix(tmp_path: Path) -> None:
    # GBK in a .md, UTF-8 in a file with no suffix
    assert read(write(tmp_path, "a.md", SIMPLIFIED.encode("gbk"))).encoding == "gb18030"
    doc = read(write(tmp_path, "古城街道工作总结", SIMPLIFIED.encode("utf-8")))
    assert (doc.text, doc.encoding, doc.format) == (SIMPLIFIED, "utf-8", "text")


def test_a_dot_inside_a_chinese_name_is_not_a_suffix(tmp_path: Path) -> None:
    doc = read(write(tmp_path, "飞云街道2023.12工作总结", SIMPLIFIED.encode("utf-8")))
    assert doc.format == "text"


def test_western_legacy_text_falls_back_to_the_detector(tmp_path: Path) -> None:
    text = "Rapport annuel: l'année écoulée a été marquée par une croissance soutenue. " * 5
    doc = read(write(tmp_path, "r.txt", text.encode("cp1252")))
    # which single-byte Latin codec wins is the detector's call; it must not be read as Chinese
    assert doc.text.startswith("Rapport annuel: l'ann")
    assert doc.encoding not in ("utf-8", "gb18030", "big5", "big5hkscs")


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.stem[:3])
def test_seeds_read_exactly(seed: Path) -> None:
    doc = read(seed)
    assert doc.text == seed.read_text(encoding="utf-8")
    assert (doc.format, doc.encoding) == ("text", "utf-8")


# --- HTML ------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>不应出现的标题</title>
<style>p {{ color: red }}</style><script>var x = "脚本";</script></head>
<body>
<noscript>请启用脚本</noscript><template><p>模板</p></template>
<div class="nav">首页 &gt; 政务公开</div>
<h1>古城街道2023年工作总结</h1>
<p>一、2023年工作亮点</p>
<p>全年  完成<b>投资</b>12.5亿元,
同比增长6%。</p>
<br><br><br>
<table><tr><th>指标</th><th>数值</th></tr><tr><td>GDP</td><td>134.2亿元</td></tr></table>
<ul><li>一是经济增长</li><li>二是区域发展</li></ul>
<!-- 注释不可见 -->
</body></html>
"""
PAGE_TEXT = (
    "首页 > 政务公开\n古城街道2023年工作总结\n一、2023年工作亮点\n全年 完成投资12.5亿元, 同比增长6%。\n"
    "\n指标 | 数值\nGDP | 134.2亿元\n一是经济增长\n二是区域发展"
)


def test_html_visible_text_blocks_tables_and_blank_lines(tmp_path: Path) -> None:
    raw = PAGE.format(charset="utf-8").encode("utf-8")
    doc = read(write(tmp_path, "p.html", raw))
    assert doc.text == PAGE_TEXT
    assert (doc.format, doc.encoding) == ("html", "utf-8")
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()


@pytest.mark.parametrize("charset", ["gb2312", "GBK", "gb18030"])
def test_html_meta_charset_is_honoured(tmp_path: Path, charset: str) -> None:
    doc = read(write(tmp_path, "p.htm", PAGE.format(charset=charset).encode("gbk")))
    assert doc.text == PAGE_TEXT
    assert doc.encoding == "gb18030"  # GB2312/GBK labels are read with the superset


def test_html_http_equiv_content_type(tmp_path: Path) -> None:
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=big5"></head>'
        "<body><p>臺北市政府工作報告</p><p>持續推動都市更新。</p></body></html>"
    )
    doc = read(write(tmp_path, "p.html", html.encode("big5")))
    assert doc.text == "臺北市政府工作報告\n持續推動都市更新。"
    assert doc.encoding == "big5"


def test_html_without_meta_is_detected_like_text(tmp_path: Path) -> None:
    html = "<html><body><p>古城街道完成452.7亩土地征收。</p></body></html>"
    doc = read(write(tmp_path, "p.html", html.encode("gbk")))
    assert (doc.text, doc.encoding) == ("古城街道完成452.7亩土地征收。", "gb18030")


def test_html_mislabelled_utf8_page_is_read_as_utf8(tmp_path: Path) -> None:
    raw = PAGE.format(charset="gb2312").encode("utf-8")
    doc = read(write(tmp_path, "p.html", raw))
    assert (doc.text, doc.encoding) == (PAGE_TEXT, "utf-8")


@pytest.mark.parametrize("name", ["saved.txt", "saved", "page.php", "page.aspx"])
def test_html_is_sniffed_from_content_whatever_the_suffix(tmp_path: Path, name: str) -> None:
    raw = codecs.BOM_UTF8 + b"  \n" + PAGE.format(charset="utf-8").encode("utf-8")
    doc = read(write(tmp_path, name, raw))
    assert (doc.format, doc.text) == ("html", PAGE_TEXT)


def test_html_layout_table_rows_keep_their_lines(tmp_path: Path) -> None:
    html = (
        "<html><body><table><tr><td><p>第一段。</p><p>第二段。</p></td><td>侧栏</td></tr>"
        "<tr><td>名称</td><td></td><td>数值</td></tr></table></body></html>"
    )
    doc = read(write(tmp_path, "p.html", html.encode("utf-8")))
    assert doc.text == "第一段。\n第二段。\n侧栏\n名称 | 数值"


def test_html_pre_keeps_whitespace(tmp_path: Path) -> None:
    html = "<html><body><pre>项目   数值\n投资   12亿</pre></body></html>"
    assert read(write(tmp_path, "p.html", html.encode("utf-8"))).text == "项目   数值\n投资   12亿"


def test_html_needs_the_html_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "bs4", None)
    path = write(tmp_path, "p.html", PAGE.format(charset="utf-8").encode("utf-8"))
    with pytest.raises(MissingExtraError) as info:
        read(path)
    assert info.value.extra == "html"
    assert "HTML pages" in str(info.value) and "reportkit[html]" in str(info.value)
    assert info.value.path == str(path)


def test_html_with_no_visible_text_is_empty(tmp_path: Path) -> None:
    html = "<html><head><title>标题</title></head><body><script>x()</script></body></html>"
    with pytest.raises(InputError, match="the file is empty"):
        read(write(tmp_path, "p.html", html.encode("utf-8")))


# --- DOCX ------------------------------------------------------------------------------------


def make_docx(tmp_path: Path, name: str = "r.docx") -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("古城街道2023年工作总结")
    document.add_paragraph("一、2023年工作亮点")
    table = document.add_table(rows=2, cols=3)
    for r, row in enumerate([["指标", "2023年", "增长"], ["GDP", "134.2亿元", "5.1%"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("")
    document.add_paragraph("二、2024年工作计划")
    path = tmp_path / name
    document.save(str(path))
    return path


def test_docx_paragraphs_and_tables_in_document_order(tmp_path: Path) -> None:
    path = make_docx(tmp_path)
    doc = read(path)
    assert doc.text == (
        "古城街道2023年工作总结\n一、2023年工作亮点\n指标 | 2023年 | 增长\nGDP | 134.2亿元 | 5.1%\n\n二、2024年工作计划"
    )
    assert (doc.format, doc.encoding) == ("docx", None)
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_docx_merged_cells_appear_once(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "合并"
    table.cell(0, 2).text = "右"
    path = tmp_path / "m.docx"
    document.save(str(path))
    assert read(path).text == "合并 | 右"


def test_docx_needs_the_docx_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_docx(tmp_path)
    monkeypatch.setitem(sys.modules, "docx", None)
    with pytest.raises(MissingExtraError) as info:
        read(path)
    assert info.value.extra == "docx"


def test_corrupt_docx_wraps_the_library_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="damaged") as info:
        read(write(tmp_path, "bad.docx", b"this is not a zip file at all"))
    assert info.value.__cause__ is not None
    assert "save it again as .docx" in str(info.value)


def test_docx_without_text_is_empty(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "e.docx"
    docx.Document().save(str(path))
    with pytest.raises(InputError, match="the file is empty"):
        read(path)


# --- PDF -------------------------------------------------------------------------------------


def make_pdf(pages: list[str]) -> bytes:
    """A minimal PDF whose text pypdf can extract (CID font, UTF-16 CMap; no font file needed)."""
    page_ids = [5 + 2 * i for i in range(len(pages))]
    objs: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % p for p in page_ids), len(pages)),
        3: b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UTF16-H "
        b"/DescendantFonts [4 0 R] >>",
        4: b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> >>",
    }
    for pid, text in zip(page_ids, pages):
        ops = [b"BT /F1 12 Tf 72 760 Td 14 TL"]
        for i, line in enumerate(text.split("\n")):
            if i:
                ops.append(b"T*")
            ops.append(b"<" + line.encode("utf-16-be").hex().encode() + b"> Tj")
        stream = b"\n".join(ops + [b"ET"])
        objs[pid] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (pid + 1)
        )
        objs[pid + 1] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = {}
    for num in sorted(objs):
        offsets[num] = out.tell()
        out.write(b"%d 0 obj\n" % num + objs[num] + b"\nendobj\n")
    xref = out.tell()
    size = max(objs) + 1
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    out.write(b"".join(b"%010d 00000 n \n" % offsets[n] for n in range(1, size)))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))
    return out.getvalue()


def test_pdf_pages_are_joined_with_a_blank_line(tmp_path: Path) -> None:
    raw = make_pdf(["古城街道2023年工作总结", "一、工作回顾\n完成投资12.5亿元。"])
    doc = read(write(tmp_path, "r.pdf", raw))
    assert doc.text == "古城街道2023年工作总结\n\n一、工作回顾\n完成投资12.5亿元。"
    assert (doc.format, doc.encoding) == ("pdf", None)
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()


def test_pdf_line_wraps_inside_a_paragraph_are_joined(tmp_path: Path) -> None:
    # a PDF wraps where the page is full, even inside a number (…总产值7 / 6.8亿元) or a word (增 / 长)
    page = (
        "一、工作回顾\n"
        "全年完成地区生产总值42.6亿元，同比增长5.4%；规模以上工业总产值7\n"
        "6.8亿元，同比增长8.7%；固定资产投资同比下降2.6%，其中工业投资增\n"
        "长12.1%。\n"
        "二、存在问题\n"
        "一是经济增长后劲不足，固定资产投资负增长，大项目、好项目储备偏少；二是\n"
        "农业产业链条偏短。"
    )
    text = read(write(tmp_path, "r.pdf", make_pdf([page]))).text
    assert "规模以上工业总产值76.8亿元" in text and "工业投资增长12.1%。" in text
    assert "\n二、存在问题\n" in text and text.startswith("一、工作回顾\n")  # headings keep their lines
    assert "二是农业产业链条偏短" in text


def test_scanned_pdf_asks_for_ocr(tmp_path: Path) -> None:
    import pypdf

    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(InputError, match="scanned image and needs OCR"):
        read(write(tmp_path, "scan.pdf", buffer.getvalue()))


def test_corrupt_pdf_wraps_the_library_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="damaged") as info:
        read(write(tmp_path, "bad.pdf", b"%PDF-1.4\nnonsense without objects"))
    assert info.value.__cause__ is not None


def test_pdf_needs_the_pdf_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "r.pdf", make_pdf(["工作总结"]))
    monkeypatch.setitem(sys.modules, "pypdf", None)
    with pytest.raises(MissingExtraError) as info:
        read(path)
    assert info.value.extra == "pdf" and "reportkit[pdf]" in str(info.value)


# --- errors ----------------------------------------------------------------------------------


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist") as info:
        read(tmp_path / "nope.txt")
    assert info.value.path == str(tmp_path / "nope.txt")


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="directory") as info:
        read(tmp_path)
    assert "pass the report files" in str(info.value) and "glob" in str(info.value)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any file")
def test_permission_denied_for_real(tmp_path: Path) -> None:
    path = write(tmp_path, "r.txt", SIMPLIFIED.encode())
    path.chmod(0)
    try:
        with pytest.raises(InputError, match="permission denied"):
            read(path)
    finally:
        path.chmod(0o600)


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "r.txt", SIMPLIFIED.encode())

    def deny(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", deny)
    with pytest.raises(InputError, match="permission denied") as info:
        read(path)
    assert isinstance(info.value.__cause__, PermissionError)


@pytest.mark.parametrize(
    ("name", "data"),
    [("e.txt", b""), ("w.txt", b" \r\n\t\n"), ("bom.txt", codecs.BOM_UTF8), ("e.pdf", b""), ("e.html", b"")],
)
def test_empty_files(tmp_path: Path, name: str, data: bytes) -> None:
    with pytest.raises(InputError, match="the file is empty"):
        read(write(tmp_path, name, data))


@pytest.mark.parametrize(
    ("data", "hint"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ""),
        (b"%PDF-1.7\n\x00\x01\x02", "rename it to .pdf"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (bytes(range(256)) * 4, ""),
    ],
)
def test_binary_text_file(tmp_path: Path, data: bytes, hint: str) -> None:
    with pytest.raises(InputError, match="does not look like text") as info:
        read(write(tmp_path, "r.txt", data))
    assert ".docx" in str(info.value) and ".pdf" in str(info.value)
    assert hint in str(info.value)


@pytest.mark.parametrize(
    ("name", "fix"),
    [
        ("r.xlsx", "convert it"),
        ("r.doc", "save it as .docx"),
        ("r.wps", "save it as .docx"),
        ("r.png", "OCR"),
        ("r.zip", "convert it"),
    ],
)
def test_unsupported_suffix(tmp_path: Path, name: str, fix: str) -> None:
    with pytest.raises(InputError, match="unsupported file type") as info:
        read(write(tmp_path, name, b"PK\x03\x04binary"))
    message = str(info.value)
    assert fix in message
    assert all(suffix in message for suffix in (".txt", ".md", ".html", ".docx", ".pdf"))


def test_supported_suffixes() -> None:
    assert {".txt", ".text", ".md", ".html", ".htm", ".docx", ".pdf"} <= set(SUPPORTED_SUFFIXES)
    assert all(s == s.lower() and s.startswith(".") for s in SUPPORTED_SUFFIXES)


def test_importing_loading_stays_light() -> None:
    code = (
        "import sys, reportkit.loading; "
        "print(sorted(m for m in ('bs4', 'docx', 'pypdf', 'charset_normalizer') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=SEEDS.parent
    )
    assert out.stdout.strip() == "[]"

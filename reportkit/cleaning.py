"""Mark web-page furniture (navigation, metadata, footers, link lists) as ranges. Text → boilerplate spans.

The text is never rewritten: offsets must not drift. The rules are line-based, because pages
copied or extracted from government sites keep their furniture on lines of its own; where
furniture is glued to content on one line (a title in a header table row, a metadata tail after
a title), only the furniture part is marked. When in doubt a line is left as content: a missed
breadcrumb costs a few tokens, a marked figure costs a wrong report.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import dataclasses

from reportkit import lexicon as lx
from reportkit.document import Document, Span

# --- building blocks ------------------------------------------------------------------------

_COLON = f"[{lx.COLON_CLASS}]"  # : ：

# Separators between furniture items: spaces, table pipes, bullets, brackets, breadcrumb arrows.
_SEP = r"[\s|｜•·・●◆▪【】\[\]()（）/\\>›»＞<«‹＜-]"

_DATETIME = (
    r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
    rf"(?:[\s\xa0]*\d{{1,2}}\s*{_COLON}\s*\d{{2}}(?:\s*{_COLON}\s*\d{{2}})?)?"
)
_DATETIME_WITH_TIME = r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[\s\xa0]+\d{1,2}:\d{2}(?::\d{2})?"

# Labels of the metadata headers of government pages (信息公开 tables, article headers, counters).
_META_LABELS = (
    "索引号|组配分类|发布机构|生成日期|公开方式|公开范围|公开时限|公开日期|发文字号|发文文号|文号|成文日期"
    "|发布日期|发布时间|更新时间|更新日期|发布单位|发文单位|主题分类|主题词|发文机关|信息来源|稿件来源"
    "|文章来源|来源|作者|责任编辑|编辑|审核|日期|时间|阅读次数|浏览次数|访问量|访问次数|点击数|点击量"
    "|点击次数|阅读量|浏览量|有效性|信息类别|体裁分类|所属机构|所属主题|信息分类|分类|录入|供稿|撰稿|摄影"
)
# One metadata value: a date, or up to three short tokens that are not sentences, titles or labels.
# Each token takes its whole run, so matching an item never has to backtrack into the next one.
_CH = rf"[^\s|｜{lx.COLON_CLASS}{lx.char_class(lx.SENTENCE_ENDS + lx.SEMICOLONS + lx.COMMAS)}、“”\"【】\[\]]"
_TOKEN = (
    rf"(?!(?:{_META_LABELS})\s*[:：|｜])(?![^\s|｜:：]{{0,40}}\d{{4}}年){_CH}{{1,40}}(?!{_CH})(?!\s*{_COLON})"
)
_VALUE = rf"(?:{_DATETIME}|{_TOKEN}(?:[ \xa0]{_TOKEN}){{0,2}})"
_META_ITEM = rf"(?:{_META_LABELS})\s*[:：|｜](?:{_SEP}*{_VALUE})?"

# Words that are whole navigation or toolbar items on their own.
_NAV_WORDS = (
    "进入老年模式|退出老年模式|老年模式|关怀模式|长者模式|关怀版|进入无障碍|无障碍浏览|无障碍阅读|无障碍"
    "|选择语言|简体中文|繁體中文|繁体中文|简体|繁體|繁体|English|网站首页|返回首页|首页|返回顶部|网站地图"
    "|打印本页|打印此页|打印文章|打印|关闭窗口|关闭本页|关闭|加入收藏|收藏本页|收藏|设为首页|分享到|分享至|分享"
    "|手机扫一扫|微信扫一扫|扫一扫|小程序|手机版|移动版|智能问答|政务微信|政务微博|微信|微博|QQ空间|朋友圈"
    "|关注|添加|登录|注册|搜索|上一页|下一页"
)
_NAV_ITEM = rf"(?:{_NAV_WORDS})(?:\s*{_COLON})?"
_FONT_ITEM = rf"字[体號号](?:大小)?(?:\s*{_COLON})?(?:[\s【\[(（]*[大中小默认]{{1,2}}[】\])）]?){{0,4}}"
# A 公众号 page counter: 阅读 1.2万, 在看 36, 点赞 10w+ (a number standing alone after its word).
_COUNTER_ITEM = rf"(?:{'|'.join(lx.PAGE_COUNTER_WORDS)})\s*{_COLON}?\s*\d+(?:\.\d+)?(?:万|[wW]|千|k)?\+?(?![\d.])"
# One furniture item; a line or part is furniture when it is items and separators only.
_ITEM = re.compile(rf"{_META_ITEM}|{_FONT_ITEM}|{_DATETIME_WITH_TIME}|{_NAV_ITEM}|{_COUNTER_ITEM}")
# Furniture glued after content: metadata pairs, counters, 【打印】【关闭】, 字号 大 中 小.
_TAIL_ITEM = re.compile(
    rf"{_META_ITEM}|{_FONT_ITEM}|{_DATETIME_WITH_TIME}|[【\[]\s*(?:{_NAV_WORDS})\s*[】\]]"
    r"|打印(?:本页)?\s*[|｜/]?\s*关闭(?:窗口|本页)?"
)
_SEP_CHAR = re.compile(_SEP)
_TAIL_START = re.compile(rf"(?<=[\s|｜{lx.char_class(lx.SENTENCE_ENDS)}])\S")
# A report title is a run (between separators) holding a year and then a report word.
_RUN = re.compile(r"[^\s|｜:：>＞]+")
_TITLE = re.compile(r"\d{4}年.*?(?:总结|计划|思路|要点|报告|回顾|规划)")

_BREADCRUMB_LABEL = re.compile(
    rf"(?:您当前所在位置|您现在的位置|您所在的位置|您的位置|当前所在位置|当前位置|所在位置|现在位置)\s*{_COLON}"
)
_ARROW = re.compile(rf"\s*[{lx.char_class(lx.PATH_ARROWS)}]\s*")
_NAV_BAR = re.compile(r"(?:网站)?首页\s*[|｜>›»＞].*")
_FOOTER_START = re.compile(
    r"(?:凡本网注明|本网注明|凡注明|本网转载|转载请注明|版权所有|版权声明|免责声明|(?i:copyright)|©"
    rf"|(?:主办|承办|协办|维护|运维|技术支持)(?:单位)?\s*{_COLON}|网站标识码|技术支持|联系我们"
    rf"|(?:联系方式|联系电话|联系地址|通讯地址|地址|电话|传真|邮编|邮政编码|电子邮箱|邮箱|邮件|(?i:e-?mail))\s*{_COLON}"
    r"|(?:建议|推荐)(?:使用|采用).{0,30}(?:浏览器|分辨率)|备案号)"
)
_FOOTER_ANYWHERE = re.compile(
    r"版权所有|ICP备\s*\d|ICP证|公网安备|网站标识码|转载请注明|(?:不得|禁止|严禁|请勿|谢绝)转载"
    r"|未经.{0,20}(?:授权|许可).{0,20}转载"
)
_IMAGE = re.compile(r"[^\s/\\]{1,60}\.(?:jpe?g|png|gif|bmp|webp|tiff?)", re.I)
_BARE_ATTACHMENT = re.compile(rf"(?:相关)?附件(?:下载)?\s*{_COLON}?")
_PIPES = re.compile(r"[|｜]+")
# A bare news dateline: "中国网   2024-03-10 12:17:48".
_DATELINE = re.compile(
    r"[^\s\d。，,:：|]{2,20}[\s\xa0\u3000]+\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:[\s\xa0]+\d{1,2}:\d{2}(?::\d{2})?)?"
)
_LINKS_OPENER = re.compile(
    r"(?:推荐阅读|相关阅读|相关链接|相关新闻|相关文章|相关信息|延伸阅读|热点推荐|热门推荐|猜你喜欢|更多阅读"
    r"|往期回顾|精彩推荐|上一篇|下一篇|上一条|下一条)(?:[\s:：>»].*)?"
)
_APP_OPENER = re.compile(
    r"(?:手机|微信)?扫(?:一扫|码)(?:[\s:：]*(?:在手机上?打开(?:当前|本)页|关注|下载|访问|打开|浏览|阅读|分享|进入\S{0,8}))?"
)
# Headings and enumerated paragraphs of a report: never furniture.
_ONLY_SEP = re.compile(f"{_SEP}*")
_HEADING = re.compile(
    r"[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．]\S|第[一二三四五六七八九十]+[部分章节条]"
    r"|[一二三四五六七八九十]是"
)
_SENTENCE_END = re.compile(f"[{lx.FULL_STOP}{lx.SEMICOLON_CLASS}]")
_LINE = re.compile(r"[^\r\n]+")

_MAX_ITEM_LINE = 200  # item grammars only run on lines this short (bounds the regex cost)
_LINK_LINE = 60  # a link line under 推荐阅读 and friends
_APP_LINE = 20  # an app or account name under 扫一扫


def find_boilerplate(text: str) -> tuple[Span, ...]:
    """Find site furniture in a report text, without rewriting it.

    Args:
        text: the document text exactly as decoded.

    Returns:
        Sorted, non-overlapping ``(start, end)`` ranges; ranges separated only by whitespace are
        merged. Report headings, the title, figures and sentences stay outside them.
    """
    spans: list[Span] = []
    zone_limit = 0  # > 0 while inside a link list or app block: short lines there are furniture
    for start, line in _lines(text):
        stripped = line.strip()
        if not stripped:
            continue
        found = _line_spans(line)
        whole = found == [_strip_extent(line, 0, len(line))]
        if zone_limit and not whole and _is_weak(stripped, zone_limit):
            found, whole = [_strip_extent(line, 0, len(line))], True
        elif not whole:
            zone_limit = 0
        if _is_links_opener(stripped):
            found, zone_limit = [_strip_extent(line, 0, len(line))], _LINK_LINE
        elif _APP_OPENER.fullmatch(stripped):
            found, zone_limit = [_strip_extent(line, 0, len(line))], max(zone_limit, _APP_LINE)
        spans.extend((start + a, start + b) for a, b in found if b > a)
    return _merge(text, spans)


def _lines(text: str) -> Iterator[tuple[int, str]]:
    for match in _LINE.finditer(text):
        yield match.start(), match.group()


def _strip_extent(line: str, a: int, b: int) -> Span:
    """``[a, b)`` of ``line`` without surrounding whitespace."""
    part = line[a:b]
    return a + len(part) - len(part.lstrip()), a + len(part.rstrip())


def _line_spans(line: str) -> list[Span]:
    """The furniture parts of one line, relative to the line."""
    stripped = line.strip()
    if _HEADING.match(stripped):
        return []
    if len(stripped) <= 160:
        title = _find_title(line)
        if title:
            # a title glued into a header row: mark the furniture around it, never the title
            parts = [(0, title.start()), (title.end(), len(line))]
            return [
                _strip_extent(line, a, b)
                for a, b in parts
                if not _ONLY_SEP.fullmatch(line[a:b]) and _is_furniture(line[a:b])
            ]
    if _is_furniture(line):
        return [_strip_extent(line, 0, len(line))]
    for boundary in _TAIL_START.finditer(line, max(1, len(line) - _MAX_ITEM_LINE)):
        if _only_items(line, _TAIL_ITEM, boundary.start(), lead=False):
            if not line[: boundary.start()].strip():
                return []
            return [_strip_extent(line, boundary.start(), len(line))]
    return []


def _is_furniture(part: str) -> bool:
    """True when the whole of ``part`` is furniture."""
    s = part.strip()
    if not s or _ONLY_SEP.fullmatch(s) and not _PIPES.fullmatch(s):
        return False
    if _FOOTER_START.match(s) or (len(s) <= 300 and _FOOTER_ANYWHERE.search(s)):
        return True
    if len(s) > _MAX_ITEM_LINE:
        return False
    return bool(
        _PIPES.fullmatch(s)
        or _IMAGE.fullmatch(s)
        or _BARE_ATTACHMENT.fullmatch(s)
        or _DATELINE.fullmatch(s)
        or _is_breadcrumb(s)
        or _only_items(s, _ITEM)
    )


def _only_items(s: str, item: re.Pattern[str], pos: int = 0, *, lead: bool = True) -> bool:
    """True when ``s[pos:]`` is one or more items with separators between them.

    Items are consumed left to right without backtracking across them (a single regex with a
    repeated group of items backtracks exponentially on long near-miss lines). An item is tried
    before a separator is skipped, so bracketed items such as 【打印】 keep their brackets.
    """
    if not lead and not item.match(s, pos):
        return False
    matched = False
    while pos < len(s):
        match = item.match(s, pos)
        if match is not None and match.end() > pos:
            pos, matched = match.end(), True
        elif _SEP_CHAR.match(s, pos):
            pos += 1
        else:
            return False
    return matched


def _is_breadcrumb(s: str) -> bool:
    """当前位置: 首页 > … lines, arrow-separated paths of short names, and 首页 | … menus."""
    if _SENTENCE_END.search(s):
        return False
    if _BREADCRUMB_LABEL.match(s):
        return True
    if any(c in s for c in lx.COMMAS):
        return False
    if _NAV_BAR.fullmatch(s):
        segments = re.split(r"\s*[|｜>›»＞]\s*", s)
        return all(len(seg) <= 12 for seg in segments)
    arrows = len(_ARROW.findall(s))
    segments = [seg for seg in _ARROW.split(s) if seg]
    return (arrows >= 2 or (arrows == 1 and s[0] in ">›»＞")) and all(len(seg) <= 25 for seg in segments)


def _is_weak(s: str, limit: int) -> bool:
    """A short non-sentence line: a link or app name when it follows 推荐阅读 or 扫一扫."""
    return (
        len(s) <= limit
        and not _SENTENCE_END.search(s)
        and not s.endswith(tuple(lx.COLONS))
        and not _HEADING.match(s)
        and not _find_title(s)
    )


def _is_links_opener(s: str) -> bool:
    """推荐阅读, 相关链接, 上一篇: … — the short link lines after them are furniture too."""
    return len(s) <= _LINK_LINE and not _SENTENCE_END.search(s) and bool(_LINKS_OPENER.fullmatch(s))


def _find_title(line: str) -> re.Match[str] | None:
    """The report-title run of a line (e.g. 古城街道2023年工作总结), which is never marked."""
    for run in _RUN.finditer(line):
        if "年" in run.group() and _TITLE.search(run.group()):
            return run
    return None


def _merge(text: str, spans: list[Span]) -> tuple[Span, ...]:
    """Sort and merge spans that overlap or are separated only by whitespace."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and (start <= merged[-1][1] or not text[merged[-1][1] : start].strip()):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


def with_boilerplate(doc: Document) -> Document:
    """``doc`` with its boilerplate marked, unless it already carries marks."""
    if doc.boilerplate:
        return doc
    return dataclasses.replace(doc, boilerplate=find_boilerplate(doc.text))

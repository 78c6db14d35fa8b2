"""Tests for reportkit.cleaning: made-up pages and seeds in, exact boilerplate ranges out."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from reportkit.cleaning import find_boilerplate
from reportkit.document import Span
from reportkit.loading import read

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
GOLD = ROOT / "seeds" / "gold"


def spans_of(text: str, *pieces: str) -> tuple[Span, ...]:
    """Expected ranges: each piece located (in order) in the text."""
    out: list[Span] = []
    pos = 0
    for piece in pieces:
        start = text.index(piece, pos)
        out.append((start, start + len(piece)))
        pos = start + len(piece)
    return tuple(out)


def inside(spans: tuple[Span, ...], start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in spans)


def overlaps(spans: tuple[Span, ...], start: int, end: int) -> bool:
    return any(a < end and start < b for a, b in spans)


BODY = "一、2023年工作回顾\n全年完成固定资产投资12.5亿元,同比增长6%。"

# (id, page, furniture pieces in order: the exact expected ranges)
CASES: list[tuple[str, str, tuple[str, ...]]] = [
    # navigation and breadcrumbs
    ("breadcrumb", f"当前位置:首页 > 政务公开 > 计划总结\n{BODY}", ("当前位置:首页 > 政务公开 > 计划总结",)),
    (
        "breadcrumb-nbsp",
        f"您当前所在位置: 首页\xa0>\xa0机构专页\xa0>\xa0政府工作报告\n\n{BODY}",
        ("您当前所在位置: 首页\xa0>\xa0机构专页\xa0>\xa0政府工作报告",),
    ),
    (
        "breadcrumb-ending-in-title",
        f"当前位置: 首页 > 计划总结 > 古城街道2023年工作总结\n{BODY}",
        ("当前位置: 首页 > 计划总结 >",),
    ),
    ("arrow-path", f"> 政务公开 > 信息公开目录 > 古城街道 > 计划总结\n{BODY}", ("> 政务公开 > 信息公开目录 > 古城街道 > 计划总结",)),
    ("menu", f"首页 | 政务公开 | 政务服务 | 互动交流\n{BODY}", ("首页 | 政务公开 | 政务服务 | 互动交流",)),
    (
        "elder-mode-language",
        f"进入老年模式 退出老年模式\n选择语言\n无障碍 | 繁體\n{BODY}",
        ("进入老年模式 退出老年模式\n选择语言\n无障碍 | 繁體",),
    ),
    # header metadata
    (
        "meta-pairs",
        f"索引号: LH331082-066/2023-132817 公开方式: 主动公开\n文号: 成文日期: 2023-12-04\n{BODY}",
        ("索引号: LH331082-066/2023-132817 公开方式: 主动公开\n文号: 成文日期: 2023-12-04",),
    ),
    (
        "meta-table",
        f"索引号 | 001008003004081/2023-253729 | ||\n组配分类 | 计划总结 | 发布机构 | 飞云街道 |\n{BODY}",
        ("索引号 | 001008003004081/2023-253729 | ||\n组配分类 | 计划总结 | 发布机构 | 飞云街道 |",),
    ),
    (
        "meta-colon-pipes",
        f"发布机构: | 台城街道办事处 | 生成日期: | 2024-05-21 16:24:58 |\n{BODY}",
        ("发布机构: | 台城街道办事处 | 生成日期: | 2024-05-21 16:24:58 |",),
    ),
    ("title-in-table-row", f"主题分类 | 计划总结 | 古城街道2023年工作总结 |\n{BODY}", ("主题分类 | 计划总结 |",)),
    ("title-row-trailing-pipe", f"飞云街道2023年度工作总结 |\n{BODY}", ()),
    (
        "bullet-metadata",
        f"古城街道2023年工作总结\n  • 日期:2023-12-04 17:30\n  • 来源:古城街道\n  • 浏览次数:\n\n{BODY}",
        ("• 日期:2023-12-04 17:30\n  • 来源:古城街道\n  • 浏览次数:",),
    ),
    (
        "source-time-counter",
        f"2023年工作总结\n\n来源:本网 发布时间:2024-01-17 09:55:18 阅读次数:-\n字体大小:\n\n{BODY}",
        ("来源:本网 发布时间:2024-01-17 09:55:18 阅读次数:-\n字体大小:",),
    ),
    (
        "metadata-glued-after-title",
        f"古城街道2023年工作总结 发布时间:2023-12-04 来源:古城街道 访问量:35\n{BODY}",
        ("发布时间:2023-12-04 来源:古城街道 访问量:35",),
    ),
    ("metadata-glued-after-sentence", "全年完成投资12亿元。 发布时间:2023-12-04 10:00", ("发布时间:2023-12-04 10:00",)),
    ("font-size", f"字号:大 中 小\n【字体:大 中 小】\n{BODY}", ("字号:大 中 小\n【字体:大 中 小】",)),
    # toolbar
    ("print-close", f"{BODY}\n\n打印 关闭", ("打印 关闭",)),
    ("print-close-brackets", f"{BODY}\n【打印】【关闭】\n分享到: 微信 微博 QQ空间", ("【打印】【关闭】\n分享到: 微信 微博 QQ空间",)),
    ("toolbar-glued-after-sentence", "全年完成投资12亿元。 【打印】 【关闭】", ("【打印】 【关闭】",)),
    # QR and app blocks
    (
        "qr-block",
        f"{BODY}\n\n扫一扫在手机打开当前页\n穗好办\n  • 扫一扫\n    “穗好办”\n    小程序\n"
        "手机版\n智能问答\n微信\n  • 番禺政府网\n    关注 · 微信\n机构专页",
        ("扫一扫在手机打开当前页\n穗好办\n  • 扫一扫\n    “穗好办”\n    小程序\n手机版\n智能问答\n微信\n  • 番禺政府网\n    关注 · 微信\n机构专页",),
    ),
    # footers
    (
        "copyright-notice",
        f"{BODY}\n凡本网注明\"稿件来源:台山政府网\"的所有文字、图片和音视频稿件,版权均属台山政府网所有,未经本网协议授权不得复制或转载。",
        ("凡本网注明\"稿件来源:台山政府网\"的所有文字、图片和音视频稿件,版权均属台山政府网所有,未经本网协议授权不得复制或转载。",),
    ),
    (
        "contact",
        f"{BODY}\n联系方式:0750-5558386邮件:ts686@126.com\n地址:番禺区市桥街道光明北路1号 邮编:511400",
        ("联系方式:0750-5558386邮件:ts686@126.com\n地址:番禺区市桥街道光明北路1号 邮编:511400",),
    ),
    (
        "site-registration",
        f"{BODY}\n主办单位:番禺区人民政府办公室 承办:番禺区政务服务数据管理局\n版权所有 © 2024 番禺区人民政府\n"
        "粤ICP备05080315号 粤公网安备 44011302000001号 网站标识码:4401130001",
        (
            "主办单位:番禺区人民政府办公室 承办:番禺区政务服务数据管理局\n版权所有 © 2024 番禺区人民政府\n"
            "粤ICP备05080315号 粤公网安备 44011302000001号 网站标识码:4401130001",
        ),
    ),
    # related links
    (
        "recommended-links",
        f"{BODY}(王彩华)\n\n推荐阅读\n王乃钦新书《汲古润今》首发式举行\n海丝名城“泉”民赛 激发城市“青和力”\n"
        "泉州区域一汽红旗双九上市\n舞韵灵动,尽显师者风采!南安官桥镇举办教师舞蹈大赛\n",
        (
            "推荐阅读\n王乃钦新书《汲古润今》首发式举行\n海丝名城“泉”民赛 激发城市“青和力”\n"
            "泉州区域一汽红旗双九上市\n舞韵灵动,尽显师者风采!南安官桥镇举办教师舞蹈大赛",
        ),
    ),
    (
        "links-stop-at-content",
        "相关链接:\n市桥街道召开年度工作会议\n二、2024年工作计划\n力争规上工业产值增长5%。",
        ("相关链接:\n市桥街道召开年度工作会议",),
    ),
    ("prev-next", f"{BODY}\n上一篇:市桥街道开展安全检查\n下一篇:市桥街道召开党工委会议", ("上一篇:市桥街道开展安全检查\n下一篇:市桥街道召开党工委会议",)),
    (
        "links-then-footer",
        f"{BODY}\n推荐阅读 更多>>\n市桥街道召开年度工作会议\n版权所有:番禺区人民政府\n网站地图 | 联系我们",
        ("推荐阅读 更多>>\n市桥街道召开年度工作会议\n版权所有:番禺区人民政府\n网站地图 | 联系我们",),
    ),
    (
        "title-between-metadata",
        f"主题分类: 计划总结 古城街道2023年工作总结 发布时间:2023-12-04\n{BODY}",
        ("主题分类: 计划总结", "发布时间:2023-12-04"),
    ),
    ("neg-related-info-sentence", "相关信息 均已在政务公开栏公示。", ()),
    ("neg-breadcrumb-label-with-sentence", "当前位置:已完成项目选址,正在办理用地手续。", ()),
    ("neg-meta-label-sentence", "时间紧、任务重,全年完成投资12亿元。", ()),
    # small leftovers
    ("image-names", f"{BODY}\n\n图片7.jpg\n\nIMG_0012.PNG\n\n会议指出,要抓好项目建设。", ("图片7.jpg\n\nIMG_0012.PNG",)),
    ("bare-attachment", f"{BODY}\n\n附件:\n", ("附件:",)),
    ("lone-pipes", f"{BODY}\n|\n｜", ("|\n｜",)),
    (
        "news-dateline",
        "双阳街道定下新目标!\n\n中国网\xa0\xa0\xa02024-03-10 12:17:48\n\n一年春作首,万事行为先。日前,双阳街道召开全街道干部大会。",
        ("中国网\xa0\xa0\xa02024-03-10 12:17:48",),
    ),
    (
        "merge-over-blank-and-nbsp-lines",
        f"打印 关闭\n\n\xa0\n\n版权所有:台山市人民政府\n{BODY}\n选择语言",
        ("打印 关闭\n\n\xa0\n\n版权所有:台山市人民政府", "选择语言"),
    ),
    ("crlf", f"当前位置:首页\r\n{BODY}\r\n打印 关闭\r\n", ("当前位置:首页", "打印 关闭")),
    # negatives: report content that merely contains the words
    ("neg-source-in-sentence", "拓宽资金来源:争取中央预算内投资6789万元,专项债7723万元。", ()),
    ("neg-source-at-line-start", "来源:国家统计局数据显示,全市地区生产总值增长5.2%。", ()),
    ("neg-close-in-sentence", "依法关闭高污染企业3家,打印宣传资料2000份。", ()),
    ("neg-close-at-line-start", "关闭“散乱污”场所12个,整治率达100%。", ()),
    ("neg-wechat", "通过微信公众号发布政务信息120条,关注人数达3万人。", ()),
    ("neg-qr-sentence", "扫码点餐服务覆盖辖区商户300家。", ()),
    ("neg-contact-in-sentence", "进一步畅通群众联系方式,电话回访率达100%。", ()),
    ("neg-copyright-topic", "加强知识产权保护,查处侵权案件15宗。", ()),
    ("neg-recommend-in-sentence", "各社区推荐阅读书目50种,开展读书活动36场。", ()),
    ("neg-arrow-in-sentence", "优良天数比例 > 90%,空气质量持续改善。", ()),
    ("neg-image-in-sentence", "完成宣传图片7张拍摄,制作展板.jpg格式文件。", ()),
    ("neg-attachment-with-content", "附件:1.2024年重点项目清单", ()),
    ("neg-signature-date", f"{BODY}\n古城街道办事处\n2023年12月4日", ()),
    (
        "neg-headings",
        "2023年工作回顾\n一、坚持“工业强街”,大力稳经济\n(一)项目招引、积蓄动能\n2024年工作计划\n"
        "一是重点指标稳中有进。1-10月规上工业产值48.78亿元,同比增长6.15%。\n1、台州府城旅游服务中心\n"
        "古城街道2023年工作总结及2024年工作思路",
        (),
    ),
    ("empty", "", ()),
    ("whitespace", " \n\xa0\n", ()),
]


@pytest.mark.parametrize(("page", "pieces"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_synthetic_pages(page: str, pieces: tuple[str, ...]) -> None:
    assert find_boilerplate(page) == spans_of(page, *pieces)


def test_cases_are_many_and_named_uniquely() -> None:
    names = [c[0] for c in CASES]
    assert len(names) == len(set(names)) >= 30


def test_text_is_not_rewritten_and_result_is_hashable_tuple() -> None:
    page = f"当前位置:首页\n{BODY}"
    copy = str(page)
    result = find_boilerplate(page)
    assert page == copy
    assert isinstance(result, tuple) and all(isinstance(s, tuple) for s in result)
    assert hash(result) == hash(find_boilerplate(page))


# --- seeds -----------------------------------------------------------------------------------


def seed(prefix: str) -> tuple[str, tuple[Span, ...]]:
    path = next(p for p in SEEDS if p.name.startswith(prefix))
    text = read(path).text
    return text, find_boilerplate(text)


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem[:3])
def test_seed_gold_quotes_stay_outside_boilerplate(path: Path) -> None:
    text = read(path).text
    spans = find_boilerplate(text)
    gold = json.loads((GOLD / f"{path.stem}.json").read_text(encoding="utf-8"))
    quotes = [e["quote"] for key in ("metrics", "problems", "plans") for e in gold[key]]
    assert quotes
    for quote in quotes:
        start = text.find(quote)
        assert start >= 0, quote
        assert not overlaps(spans, start, start + len(quote)), quote


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem[:3])
def test_seed_spans_are_sorted_disjoint_and_trimmed(path: Path) -> None:
    text = read(path).text
    spans = find_boilerplate(text)
    assert spans
    for (a, b), (c, _) in zip(spans, spans[1:]):
        assert a < b < c and text[b:c].strip()  # merged whenever only whitespace separates them
    for a, b in spans:
        assert 0 <= a < b <= len(text) and text[a:b] == text[a:b].strip()


def assert_marked(text: str, spans: tuple[Span, ...], *pieces: str) -> None:
    for piece in pieces:
        start = text.find(piece)
        assert start >= 0, piece
        assert inside(spans, start, start + len(piece)), piece


def assert_unmarked(text: str, spans: tuple[Span, ...], *pieces: str) -> None:
    for piece in pieces:
        start = text.find(piece)
        assert start >= 0, piece
        assert not overlaps(spans, start, start + len(piece)), piece


def test_seed_000_header_copyright_and_contact() -> None:
    text, spans = seed("000")
    assert_marked(
        text,
        spans,
        "发布机构: | 台城街道办事处 | 生成日期:",
        text[text.index("凡本网注明") : text.index("\n", text.index("凡本网注明"))],
        "联系方式:0750-5558386邮件:ts686@126.com",
    )
    assert_unmarked(text, spans, "2023年工作回顾", "2024年工作计划", "山水万程,步履不停。")


def test_seed_001_navigation_metadata_and_toolbar() -> None:
    text, spans = seed("001")
    assert_marked(
        text,
        spans,
        "进入老年模式 退出老年模式",
        "当前位置:首页",
        "> 政务公开 > 信息公开目录 > 部门、街道信息公开 > 镇(街道)信息公开 > 古城街道 > 计划总结",
        "索引号:",
        "发布单位: 古城街道",
        "• 日期:2023-12-04 17:30",
        "• 浏览次数:",
        "打印 关闭",
    )
    assert_unmarked(text, spans, "古城街道2023年工作总结及2024年工作思路", "一、2023年工作亮点")


def test_seed_002_metadata_table_but_not_title() -> None:
    text, spans = seed("002")
    assert_marked(
        text,
        spans,
        "索引号 | 001008003004081/2023-253729",
        "组配分类 | 计划总结 | 发布机构 | 飞云街道 |",
        "生成日期 | 2023-12-13 | 公开方式 | 主动公开 |",
    )
    assert_unmarked(text, spans, "飞云街道2023年度工作总结", "一、今年工作回顾")
    assert text.endswith("|") and inside(spans, len(text) - 1, len(text))


def test_seed_003_language_breadcrumb_header_and_qr_block() -> None:
    text, spans = seed("003")
    qr = text.index("扫一扫在手机打开当前页")
    after = [line.strip() for line in text[qr:].splitlines()[1:] if line.strip()]
    assert after[0] == "穗好办" and after[-1] == "机构专页"
    assert_marked(
        text,
        spans,
        "选择语言",
        "您当前所在位置",
        "来源:本网 发布时间:2024-01-17 09:55:18 阅读次数:-",
        "字体大小:",
        "附件:",
        text[qr:],
    )
    assert_unmarked(text, spans, "2023年工作总结", "一、提劲赶超,构建高质量发展新格局")


def test_seed_004_dateline_image_and_recommended_links() -> None:
    text, spans = seed("004")
    links = text[text.index("推荐阅读") :].splitlines()
    assert len(links) == 6
    assert_marked(text, spans, "中国网\xa0\xa0\xa02024-03-10 12:17:48", "图片7.jpg", *links)
    assert_unmarked(
        text,
        spans,
        "2024年,洛江区双阳街道定下新目标!就这么干!",
        "一年春作首,万事行为先。",
        "确保社会大局安全稳定。(王彩华 许小雄)",
    )


def test_seed_003_is_cheap() -> None:
    text = read(next(p for p in SEEDS if p.name.startswith("003"))).text
    find_boilerplate(text)
    started = time.perf_counter()
    for _ in range(10):
        find_boilerplate(text)
    assert (time.perf_counter() - started) / 10 < 0.02  # typically well under 1 ms


def test_long_adversarial_lines_stay_cheap() -> None:
    lines = [
        "来源:" + "甲" * 195,
        "来源:" + " 甲乙-" * 60,
        "发布时间:" + "2023-1-1 " * 22,
        "索引号 | " + "a-b/" * 45,
        "x " * 5000 + "来源:本网",
        "古城街道" * 2000,
    ]
    started = time.perf_counter()
    for line in lines:
        find_boilerplate(line)
    assert time.perf_counter() - started < 0.2

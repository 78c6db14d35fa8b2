"""The HTML review page in a real headless browser (Debian's chromium): it renders, its script
works, every highlight is in the DOM, and script in the source text never runs.

Drives chromium through its command line only (``--dump-dom`` and ``--screenshot``): no
playwright or selenium downloads. A test-only script is appended to a COPY of the page; it inspects
the DOM, clicks an entry and a highlight, and writes a JSON result into ``<pre id="test-result">``,
which ``--dump-dom`` hands back.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import sys
from html import unescape
from pathlib import Path
from typing import Any

import pytest

import reportkit
from reportkit.review_page import report_to_html
from reportkit.schema import Check, Failure, Item, Metric, Report

from conftest import SEEDS

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
SEED = SEEDS / "003_c6631ad89748e798.txt"
INJECTED = (
    "\n\n<script>document.title='pwned';document.body.setAttribute('data-pwned','script')</script>\n"
    "\"><img src=x onerror=\"document.body.setAttribute('data-pwned','img')\">\n"
)
FLAGGED = {3: "unit_mismatch", 6: "misattributed", 9: "unsupported", 12: "derived"}

PROBE = r"""
<script>
(function () {
  var r = {errors: window.__errors || []}, body = document.body;
  var src = document.getElementById("source"), pane = document.getElementById("source-pane");
  r.ready = body.getAttribute("data-ready");
  r.bodyHighlights = Number(body.getAttribute("data-highlights"));
  var ids = {}, marks = src ? src.querySelectorAll("[data-ids]") : [];
  for (var i = 0; i < marks.length; i++) {
    var list = marks[i].getAttribute("data-ids").split(" ");
    for (var k = 0; k < list.length; k++) ids[list[k]] = 1;
  }
  r.highlightIds = Object.keys(ids).length;
  r.sourceExact = src ? src.textContent === __EXPECTED__ : null;
  var entries = document.querySelectorAll("[data-entry]");
  r.entries = entries.length; r.missing = []; r.unlocated = [];
  for (i = 0; i < entries.length; i++) {
    var id = entries[i].getAttribute("data-entry");
    if (entries[i].classList.contains("unlocated")) r.unlocated.push(id);
    else if (!src || !src.querySelector('[data-ids~="' + id + '"]')) r.missing.push(id);
  }
  if (src) {
    var located = document.querySelectorAll(".metric[data-entry]:not(.unlocated)");
    var target = located[located.length - 1], tid = target.getAttribute("data-entry");
    var first = src.querySelector('[data-ids~="' + tid + '"]');
    r.scrollBefore = pane.scrollTop;
    target.click();
    r.clicked = tid;
    r.scrollAfter = pane.scrollTop;
    r.selected = body.getAttribute("data-selected");
    var box = first.getBoundingClientRect(), view = pane.getBoundingClientRect();
    r.targetVisible = box.top >= view.top && box.bottom <= view.bottom;
    r.targetFlashing = first.classList.contains("flash");
    r.targetSelected = first.classList.contains("sel") && target.classList.contains("sel");
    var itemOnly = src.querySelector('mark[data-ids="review-0"]');
    itemOnly.click();
    r.fromSource = body.getAttribute("data-selected");
    r.entrySelected = document.querySelector('[data-entry="review-0"]').classList.contains("sel");
    var legend = document.querySelector('.legend [data-filter="unsupported"]');
    legend.click();
    var shown = 0, all = document.querySelectorAll(".metric");
    for (i = 0; i < all.length; i++) if (all[i].offsetParent !== null) shown++;
    r.shownWhenFiltered = shown;
    legend.click();
    r.filterCleared = !body.hasAttribute("data-filter");
  }
  r.resources = performance.getEntriesByType("resource").length;
  r.title = document.title;
  r.images = document.images.length;
  r.scripts = document.scripts.length;
  r.pwned = body.getAttribute("data-pwned");
  var handlers = 0, every = document.querySelectorAll("*");
  for (i = 0; i < every.length; i++)
    for (var a = 0; a < every[i].attributes.length; a++)
      if (/^on/i.test(every[i].attributes[a].name)) handlers++;
  r.handlers = handlers;
  r.active = document.querySelectorAll("iframe, frame, object, embed, svg, math, form, a[href], base, link, meta[http-equiv=refresh]").length;
  var pre = document.createElement("pre");
  pre.id = "test-result";
  pre.textContent = JSON.stringify(r);
  body.appendChild(pre);
})();
</script>
"""
ERRORS = "<script>window.__errors=[];addEventListener('error',function(e){window.__errors.push(String(e.message))});</script>"


def require_chromium() -> str:
    """The browser, or a skip naming what to install; in CI (``CI=true``) a missing browser fails."""
    if CHROMIUM:
        return CHROMIUM
    install = "install it with `apt-get install -y chromium` (Debian/Ubuntu)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"chromium not found and CI=true: the review page must be tested in a browser in CI; {install}")
    pytest.skip(f"chromium not installed: {install} to run the review page's browser tests (with CI=true this fails)")


def chromium(args: list[str], workdir: Path) -> subprocess.CompletedProcess[str]:
    """Run headless chromium once with a fresh profile; it must not touch the network."""
    profile = workdir / f"profile-{len(list(workdir.glob('profile-*')))}"
    command = [
        require_chromium(), "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--disable-extensions", "--mute-audio",
        f"--user-data-dir={profile}", "--window-size=1400,1000", *args,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def review_report() -> tuple[Report, str]:
    """A seed's report with every status represented, its source with hostile markup appended."""
    report = reportkit.summarize(SEED, engine="rules")
    text = reportkit.load(SEED).text + INJECTED
    metrics = [m.model_copy(update={"check": m.check.model_copy(update={"status": FLAGGED[i], "detail": f"test: {FLAGGED[i]}"})})
               if i in FLAGGED else m for i, m in enumerate(report.metrics)]
    quote = "<script>document.title='pwned';"
    at = text.index(quote)
    metrics.append(Metric(name="<script>alert(1)</script>", value=1, quote=quote, span=(at, at + len(quote)),
                          check=Check(status="unsupported", detail="\"><img src=x onerror=alert(1)>")))
    metrics.append(Metric(name="未定位指标", value=2, quote="不在原文中的引文", check=Check(status="unsupported")))
    problems = [Item(title="未定位问题", quote="原文没有这句话")]
    counts = {s: sum(m.check.status == s for m in metrics) for s in report.validation.counts}
    flagged = sum(1 for m in metrics if m.check.status not in ("verified", "derived"))
    validation = report.validation.model_copy(update={"counts": counts, "checked": len(metrics), "flagged": flagged})
    return report.model_copy(update={"metrics": metrics, "problems": problems, "validation": validation}), text


def probe(html: str, text: str | None) -> str:
    expected = json.dumps(text).replace("<", "\\u003c") if text is not None else "null"
    # The first <title> and the last </body> are the page's own: document text is escaped.
    body, _, end = html.replace("<title>", ERRORS + "<title>", 1).rpartition("</body>")
    return body + PROBE.replace("__EXPECTED__", expected) + "</body>" + end


def run_probe(html: str, text: str | None, workdir: Path) -> tuple[dict[str, Any], str]:
    page = workdir / "probe.html"
    page.write_text(probe(html, text), encoding="utf-8")
    dom = chromium(["--dump-dom", page.as_uri()], workdir).stdout
    found = re.search(r'<pre id="test-result">(.*?)</pre>', dom, re.S)
    assert found, f"the probe did not run; DOM starts {dom[:500]!r}"
    return json.loads(unescape(found.group(1))), dom


def test_page_in_a_browser(tmp_path: Path) -> None:
    require_chromium()
    report, text = review_report()
    result, dom = run_probe(report.to_html(text), text, tmp_path)
    assert result["errors"] == []
    assert result["ready"] == "1"
    assert result["sourceExact"] is True
    v = report.validation
    located = (sum(1 for m in report.metrics if m.span or m.check.span) + sum(1 for it in report.review if it.span)
               + sum(1 for f in v.missed if f.span) + sum(1 for x in v.inconsistencies if x.span)
               + sum(1 for f in v.figures if f.span and f.status not in ("verified", "derived")))
    assert result["highlightIds"] == result["bodyHighlights"] == located
    assert result["missing"] == []
    assert sorted(result["unlocated"]) == sorted([f"metric-{len(report.metrics) - 1}", "problems-0"])
    # clicking the last metric scrolls the source pane to its highlight and flashes it
    assert result["selected"] == result["clicked"]
    assert result["scrollAfter"] > result["scrollBefore"] and result["targetVisible"] is True
    assert result["targetFlashing"] is True and result["targetSelected"] is True
    # clicking a highlight selects its summary entry
    assert result["fromSource"] == "review-0" and result["entrySelected"] is True
    assert result["shownWhenFiltered"] == report.validation.counts["unsupported"] and result["filterCleared"]
    # nothing loaded, nothing injected ran
    assert result["resources"] == 0
    assert result["title"] != "pwned" and "<title>pwned" not in dom
    assert result["pwned"] is None and result["images"] == 0 and "<img" not in dom
    assert result["scripts"] == 3  # the error hook, the page's own script and the probe


# Each payload, if it ran, would leave its own mark on <body>; they cover every context the page
# writes text into: element text, double-quoted attributes (title=), <title>, and the source pane.
HOSTILE = [
    "<script>document.body.setAttribute('data-pwned','script2')</script>",
    "\"><img src=x onerror=\"document.body.setAttribute('data-pwned','attr')\">",
    "'><svg onload=\"document.body.setAttribute('data-pwned','svg')\">",
    "<iframe srcdoc=\"<script>parent.document.body.setAttribute('data-pwned','iframe')</script>\"></iframe>",
    "</title></style></textarea><script>document.body.setAttribute('data-pwned','close')</script>",
    "<details open ontoggle=\"document.body.setAttribute('data-pwned','toggle')\">",
    "<a href=\"javascript:document.body.setAttribute('data-pwned','link')\">点此</a>",
    "<meta http-equiv=refresh content=\"0;url=javascript:alert(1)\"><base href=\"http://evil/\">",
    "&lt;script&gt;document.body.setAttribute('data-pwned','entity')&lt;/script&gt;",
    "=HYPERLINK(\"http://x\")地区生产总值134.2亿元",
]


def hostile_review() -> tuple[Report, str]:
    """The review report with a payload in every field the page shows, and in the source text."""
    report, text = review_report()
    text += "\n" + "\n".join(HOSTILE) + "\n"
    at = {p: text.index(p) for p in HOSTILE}
    metrics = list(report.metrics) + [
        Metric(name=p, value=1, value_text=p, unit=p, period=p, qualifier=p, quote=p, span=(at[p], at[p] + len(p)),
               check=Check(status="unsupported", detail=p, span=(at[p], at[p] + len(p))))
        for p in HOSTILE
    ]
    items = [Item(title=p, text=p + "说明", quote=p, span=(at[p], at[p] + len(p))) for p in HOSTILE]
    unlocated = [Item(title=p, text=p, quote=p + "不在原文") for p in HOSTILE]
    run = report.run.model_copy(update={"model": HOSTILE[0], "failures": [
        Failure(stage=p, message=p, chunk_id=p, error_type=p) for p in HOSTILE]})
    meta = report.meta.model_copy(update={"title": HOSTILE[4], "organization": HOSTILE[1], "region": HOSTILE[0],
                                          "published": HOSTILE[2], "source": HOSTILE[5]})
    update = {"metrics": metrics, "review": list(report.review) + items, "plans": unlocated, "meta": meta, "run": run,
              "overview": " ".join(HOSTILE)}
    return report.model_copy(update=update), text


def test_hostile_names_and_quotes_run_nothing(tmp_path: Path) -> None:
    require_chromium()
    report, text = hostile_review()
    for source in (text, None):
        result, dom = run_probe(report_to_html(report, source), source, tmp_path)
        assert result["errors"] == [] and result["ready"] == "1"
        assert result["pwned"] is None and result["title"] != "pwned"
        assert result["scripts"] == 3 and result["images"] == 0 and result["resources"] == 0
        assert result["handlers"] == 0 and result["active"] == 0
        if source is not None:
            assert result["sourceExact"] is True and result["missing"] == []
        # every payload is on the page as text a reader can see
        shown = unescape(re.sub(r"<[^>]+>", "", dom))
        assert all(p in shown for p in HOSTILE)


def test_page_without_source_in_a_browser(tmp_path: Path) -> None:
    require_chromium()
    report, _ = review_report()
    result, dom = run_probe(report_to_html(report, None), None, tmp_path)  # to_html(None) would reload the seed
    assert result["errors"] == [] and result["ready"] == "1" and result["bodyHighlights"] == 0
    assert "Source text not available" in dom and result["resources"] == 0 and result["images"] == 0


def test_screenshot(tmp_path: Path) -> None:
    require_chromium()
    report, text = review_report()
    page = tmp_path / "review.html"
    page.write_text(report.to_html(text), encoding="utf-8")
    png = tmp_path / "review.png"
    chromium([f"--screenshot={png}", page.as_uri() + "#metric-9"], tmp_path)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1400, 1000)
    assert len(data) > 10_000, f"screenshot is only {len(data)} bytes: a blank page?"
    keep = os.environ.get("REVIEW_PAGE_SCREENSHOT")  # set to a path to look at the page yourself
    if keep:
        shutil.copyfile(png, keep)


def test_a_missing_browser_skips_with_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.modules[__name__], "CHROMIUM", None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install -y chromium"):
        require_chromium()


def test_a_missing_browser_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.modules[__name__], "CHROMIUM", None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        require_chromium()

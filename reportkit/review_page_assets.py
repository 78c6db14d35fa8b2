"""The inline stylesheet and script of the HTML review page. Constants → CSS and JS text.

Kept apart from ``review_page`` so that module holds only the page's structure. Both strings are
static: no document text ever goes into them, so nothing here needs escaping. The page loads
nothing from the network (system fonts only, no images, no CDN); its Content-Security-Policy
allows inline style and script and nothing else.
"""

from __future__ import annotations

STATUS_COLOURS: dict[str, tuple[str, str, str]] = {
    # status: (text/border colour, light background for quotes, stronger background for figures)
    "verified": ("#1a7f37", "#e6f6ea", "#b4e7c0"),
    "derived": ("#0f766e", "#def7f3", "#99e2d6"),
    "unit_mismatch": ("#9a6700", "#fff4cc", "#ffd966"),
    "misattributed": ("#9a6700", "#fff4cc", "#ffd966"),
    "unsupported": ("#cf222e", "#ffe9e7", "#ffb3ad"),
    "unknown": ("#57606a", "#eef0f2", "#d0d7de"),
}


def _status_rules() -> str:
    rules = []
    for status, (colour, light, strong) in STATUS_COLOURS.items():
        rules.append(f".st-{status}{{--c:{colour};--bg:{light};--fig:{strong}}}")
        rules.append(f'body[data-filter="{status}"] .metric:not([data-status="{status}"]){{display:none}}')
        rules.append(f'body[data-filter="{status}"] .legend [data-filter="{status}"]{{box-shadow:0 0 0 2px #0969da}}')
    return "\n".join(rules)


CSS = (
    """
*{box-sizing:border-box}
html,body{margin:0;height:100%}
body{font:14px/1.6 system-ui,-apple-system,"Segoe UI","PingFang SC","Hiragino Sans GB","Microsoft YaHei",
 "Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;color:#1f2328;background:#fff;display:flex;flex-direction:column}
header.top{flex:none;padding:10px 20px 8px;border-bottom:1px solid #d0d7de;background:#f6f8fa}
header.top h1{font-size:18px;margin:0 0 4px}
dl.meta{display:flex;flex-wrap:wrap;gap:2px 18px;margin:0 0 6px;font-size:13px}
dl.meta div{display:flex;gap:4px}
dl.meta dt{color:#57606a}
dl.meta dd{margin:0;font-weight:600}
.legend{display:flex;flex-wrap:wrap;gap:6px;align-items:center;font-size:12.5px}
.legend button{font:inherit;cursor:pointer;border:1px solid var(--c,#d0d7de);background:var(--bg,#fff);
 color:var(--c,#1f2328);border-radius:12px;padding:1px 10px}
.legend button b{margin-left:4px}
.legend button.zero{opacity:.55}
.legend mark.key{padding:0 5px;margin-left:4px;border-radius:2px;font-weight:normal}
main{flex:1;min-height:0;display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1.25fr)}
main.no-source{grid-template-columns:minmax(0,1fr)}
.pane{overflow:auto;min-height:0;padding:10px 20px 40px}
#summary-pane{border-right:1px solid #d0d7de;background:#fcfcfd}
h2{font-size:15px;margin:16px 0 6px;padding-bottom:2px;border-bottom:1px solid #eaeef2}
h2 small{color:#57606a;font-weight:normal}
p.note{background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:6px 10px}
p.overview{margin:4px 0}
ul.entries{list-style:none;margin:0;padding:0}
.entry{padding:5px 8px;margin:3px 0;border-radius:6px;border:1px solid transparent;cursor:pointer}
.entry:hover{background:#f3f4f6}
.entry:focus{outline:2px solid #54aeff;outline-offset:-1px}
.entry.sel{border-color:#0969da;background:#ddf4ff}
.entry.unlocated{cursor:default}
.entry .title{font-weight:600}
.entry .text{margin:2px 0 0;color:#424a53}
.pos,.tag{font-size:12px;color:#57606a;margin-left:6px;white-space:nowrap}
.tag.warn{color:#9a6700;font-weight:600}
.tag.lost{color:#cf222e;font-weight:600}
blockquote{margin:4px 0 0;padding:2px 10px;border-left:3px solid #d0d7de;color:#424a53;font-size:13px;
 white-space:pre-wrap}
.metric{display:grid;grid-template-columns:12.5em 1fr;gap:0 8px;border-left:4px solid var(--c)}
.metric .badge{grid-row:span 2;align-self:start;justify-self:start;font-size:12px;border-radius:10px;padding:0 7px;
 color:var(--c);background:var(--bg);border:1px solid var(--c);white-space:nowrap}
.metric .figure{font-weight:700;color:var(--c)}
.metric .detail{grid-column:2;font-size:12.5px;color:#57606a}
.metric blockquote{grid-column:2}
table.facts{border-collapse:collapse;font-size:13px}
table.facts td{padding:1px 12px 1px 0;vertical-align:top}
table.facts td:first-child{color:#57606a;white-space:nowrap}
details summary{cursor:pointer;color:#0969da}
.failure{color:#cf222e}
#source{white-space:pre-wrap;overflow-wrap:anywhere;font-size:15px;line-height:1.95;margin:0}
#source .bp{color:#8c959f}
mark{background:none;color:inherit;padding:0}
mark.hl{cursor:pointer}
mark.q-item{background:#eaf1fb;box-shadow:inset 0 -1px 0 #b6cdf0}
mark.q-metric{background:var(--bg)}
mark.fig{background:var(--fig);font-weight:700;box-shadow:inset 0 -2px 0 var(--c);border-radius:2px}
mark.n-missed{box-shadow:inset 0 -2px 0 #8250df}
mark.n-inconsistency{text-decoration:underline wavy #cf222e}
mark.n-evidence{box-shadow:inset 0 -2px 0 #57606a}
mark.sel{outline:2px solid #0969da;outline-offset:0}
.flash{animation:flash 1.4s ease-out}
@keyframes flash{0%,30%{background:#ffd33d}100%{}}
footer.run{font-size:12px;color:#57606a;margin-top:18px}
@media (prefers-reduced-motion:reduce){.flash{animation:none;outline:3px solid #ffd33d}}
"""
    + _status_rules()
)

JS = """
(function () {
  "use strict";
  var body = document.body;
  var source = document.getElementById("source");
  var current = null;
  var flashed = [];
  var timer = 0;

  function highlights(id) {
    return source ? source.querySelectorAll('[data-ids~="' + id + '"]') : [];
  }
  function entryFor(id) {
    return document.querySelector('[data-entry="' + id + '"]');
  }
  function flash(list) {
    var i;
    for (i = 0; i < flashed.length; i++) flashed[i].classList.remove("flash");
    flashed = Array.prototype.slice.call(list);
    if (flashed.length) void flashed[0].offsetWidth;  // restart the animation
    for (i = 0; i < flashed.length; i++) flashed[i].classList.add("flash");
    clearTimeout(timer);
    timer = setTimeout(function () {
      for (var j = 0; j < flashed.length; j++) flashed[j].classList.remove("flash");
      flashed = [];
    }, 1500);
  }
  function select(id, from) {
    var old = document.querySelectorAll(".sel"), i;
    for (i = 0; i < old.length; i++) old[i].classList.remove("sel");
    current = id;
    body.setAttribute("data-selected", id);
    var entry = entryFor(id);
    var marks = highlights(id);
    for (i = 0; i < marks.length; i++) marks[i].classList.add("sel");
    if (entry) entry.classList.add("sel");
    if (from === "entry" && marks.length) {
      marks[0].scrollIntoView({block: "center", inline: "nearest"});
      flash(marks);
    } else if (from === "source" && entry) {
      var box = entry.closest("details");
      if (box) box.open = true;
      entry.scrollIntoView({block: "nearest", inline: "nearest"});
      flash([entry]);
    }
  }
  function onClick(ev) {
    var t = ev.target;
    if (!t || !t.closest) return;
    var legend = t.closest("[data-filter]");
    if (legend) {
      var f = legend.getAttribute("data-filter");
      if (!f || body.getAttribute("data-filter") === f) body.removeAttribute("data-filter");
      else body.setAttribute("data-filter", f);
      return;
    }
    var entry = t.closest("[data-entry]");
    if (entry) { select(entry.getAttribute("data-entry"), "entry"); return; }
    var mark = t.closest("[data-ids]");
    if (mark) {
      // Ids are ordered innermost first; clicking again steps outwards through the spans.
      var ids = mark.getAttribute("data-ids").split(" ");
      select(ids[(ids.indexOf(current) + 1) % ids.length], "source");
    }
  }
  // Event delegation: one listener for every entry and highlight, however many there are.
  document.addEventListener("click", onClick);
  document.addEventListener("keydown", function (ev) {
    if ((ev.key === "Enter" || ev.key === " ") && ev.target.closest && ev.target.closest("[data-entry]")) {
      ev.preventDefault();
      onClick(ev);
    }
  });
  var seen = {}, n = 0, all = source ? source.querySelectorAll("[data-ids]") : [];
  for (var i = 0; i < all.length; i++) {
    var ids = all[i].getAttribute("data-ids").split(" ");
    for (var k = 0; k < ids.length; k++) if (!seen[ids[k]]) { seen[ids[k]] = 1; n++; }
  }
  // A link to page.html#metric-3 opens with that entry selected and its source in view.
  var wanted = decodeURIComponent(location.hash.slice(1));
  if (/^[a-z]+-[0-9]+$/.test(wanted) && entryFor(wanted)) {
    select(wanted, "entry");
    entryFor(wanted).scrollIntoView({block: "center"});
  }
  body.setAttribute("data-highlights", String(n));
  body.setAttribute("data-ready", "1");
})();
"""

//! `index.html`: the same document as `DECISIONS.md`, self-contained, with
//! every chart's SVG inline: each scenario's throughput chart, and its CPU
//! cost chart (`<stem>-cpu`) right below it where one was rendered, and the
//! winner maps.
//!
//! The page works offline from `file://` and fetches nothing: styles and
//! scripts are inline, fonts are the system's. Tables scroll horizontally
//! inside a wrapper and charts shrink to the width, so it reads at 390 px.
//! Two small inline scripts:
//! - [`SORT_JS`]: a click on a column header sorts the table by it (numbers,
//!   with their `k`/`M`/`G` prefix, as numbers; text as text);
//! - [`SELFCHECK_JS`]: only with `?selfcheck` in the URL, it records
//!   errors (a failed load included) and console errors, and after load
//!   checks that the "what to use" table starts in the first 900 px, ends
//!   within two screens on a desktop and never scrolls sideways, and the
//!   table of contents follows it, the page is no wider than the window,
//!   every image and SVG rendered and every `#` link has its target; it
//!   writes the verdict into `<pre id="selfcheck">` (`SELFCHECK PASS` or
//!   `SELFCHECK FAIL (n)`, one line per finding), for
//!   `scripts/browser-check.sh` to read from the dumped DOM. With
//!   `frame=390x844` the page shows itself in an iframe of that size, so a
//!   narrow viewport can be checked and captured in a browser whose window
//!   cannot be that narrow.

use std::collections::HashMap;

use crate::report::render::doc::{Block, Inline, Line};

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;\
max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}\
table{border-collapse:collapse;margin:.5em 0 1em;font-size:.92em}\
th,td{border:1px solid #ccc;padding:.25em .55em;vertical-align:top;line-height:1.3}\
th{background:#f3f3f3}td.r,th.r{text-align:right}\
code{background:#f5f5f5;padding:0 .2em;border-radius:3px}\
details{margin:.4em 0 1em}summary{cursor:pointer;color:#0645ad}\
figure{margin:1em 0}figure svg,img{max-width:100%;height:auto}\
h3{margin-top:2em;border-bottom:1px solid #ddd}\
p,li,h1,h2,h3,summary,figcaption{overflow-wrap:anywhere}\
.tw{overflow-x:auto;max-width:100%}.tw table{margin:0}.tw{margin:.5em 0 1em}\
th.sort{cursor:pointer}th.sort:after{content:' \\2195';color:#aaa}\
th[data-dir=asc]:after{content:' \\2191';color:#333}th[data-dir=desc]:after{content:' \\2193';color:#333}\
g.hover>:hover{fill-opacity:.18}\
@media (max-width:600px){body{margin:1em auto;padding:0 .6em}h1{font-size:1.5em}\
#what-to-use-by-cell+p+.tw td{min-width:10em}table{font-size:.85em}}\
#what-to-use+p+.tw table{width:100%}#what-to-use+p+.tw td{overflow-wrap:anywhere}";

/// Sorts a table by the clicked column header (numbers as numbers, with
/// their SI prefix; then text); a second click reverses the order.
pub const SORT_JS: &str = r#"(function () {
  function key(td) {
    var s = td ? td.textContent.trim() : '';
    var m = s.match(/^(-?[0-9]+(?:\.[0-9]+)?)\s*([kMG]?)/);
    return m ? parseFloat(m[1]) * {'': 1, k: 1e3, M: 1e6, G: 1e9}[m[2]] : s.toLowerCase();
  }
  function cmp(a, b) {
    if (typeof a !== typeof b) return typeof a === 'number' ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  document.querySelectorAll('table').forEach(function (t) {
    var h = t.tHead, b = t.tBodies[0];
    if (!h || !b) return;
    var ths = Array.prototype.slice.call(h.rows[0].cells);
    ths.forEach(function (th, i) {
      th.classList.add('sort');
      th.title = 'sort by this column';
      th.addEventListener('click', function () {
        var d = th.dataset.dir === 'asc' ? -1 : 1;
        ths.forEach(function (c) { delete c.dataset.dir; });
        th.dataset.dir = d > 0 ? 'asc' : 'desc';
        var rows = Array.prototype.slice.call(b.rows);
        rows.sort(function (x, y) { return cmp(key(x.cells[i]), key(y.cells[i])) * d; });
        rows.forEach(function (r) { b.appendChild(r); });
      });
    });
  });
})();"#;

/// The self-check, active only with `selfcheck` or `frame=WxH` in the
/// URL's query (see the module docs). `frame=390x844` shows the page in an
/// iframe of that size at the top left (headless Chromium's window is at
/// least 500 px wide; an iframe has its own viewport); with `selfcheck` too,
/// the framed page checks itself and posts its verdict up.
pub const SELFCHECK_JS: &str = r##"(function () {
  var q = location.search + location.hash;
  var frame = q.match(/frame=([0-9]+)x([0-9]+)/);
  var check = /selfcheck/.test(q);
  function report(text) {
    var pre = document.createElement('pre');
    pre.id = 'selfcheck';
    pre.textContent = text;
    document.body.insertBefore(pre, document.body.firstChild);
  }
  if (frame && !/child/.test(q)) {
    window.addEventListener('message', function (e) { report(String(e.data)); });
    document.addEventListener('DOMContentLoaded', function () {
      document.body.innerHTML = '';
      document.body.style.margin = '0';
      var f = document.createElement('iframe');
      f.width = frame[1];
      f.height = frame[2];
      f.style.border = '0';
      f.style.display = 'block';
      f.src = location.pathname.split('/').pop() + (check ? '?selfcheck&child' : '');
      document.body.appendChild(f);
    });
    return;
  }
  if (!check) return;
  var errs = [];
  window.addEventListener('error', function (e) {
    var t = e.target;
    errs.push(t && t !== window && (t.src || t.href)
      ? 'failed to load ' + (t.src || t.href) : 'error: ' + e.message);
  }, true);
  var ce = console.error;
  console.error = function () {
    errs.push('console.error: ' + Array.prototype.join.call(arguments, ' '));
    return ce.apply(console, arguments);
  };
  window.addEventListener('load', function () {
    var out = [], n = 0;
    function fail(m) { n++; out.push('FAIL ' + m); }
    var de = document.documentElement;
    var t = document.querySelector('#what-to-use ~ .tw table');
    if (!t) {
      fail('no what-to-use table');
    } else {
      var top = Math.round(t.getBoundingClientRect().top + window.scrollY);
      out.push('what-to-use table top: ' + top + ' px');
      if (top >= 900) fail('the what-to-use table starts at ' + top + ' px, below the first 900 px');
      // The whole table within two screens on a desktop, and never
      // scrolling sideways.
      var bottom = Math.round(t.getBoundingClientRect().bottom + window.scrollY);
      out.push('what-to-use table bottom: ' + bottom + ' px (window ' + window.innerWidth + 'x' + window.innerHeight + ')');
      if (window.innerWidth >= 1000 && bottom > 2 * window.innerHeight)
        fail('the what-to-use table ends at ' + bottom + ' px, beyond two screens');
      var w = t.parentNode;
      out.push('what-to-use table ' + w.scrollWidth + ' px wide in ' + w.clientWidth + ' px');
      if (w.scrollWidth > w.clientWidth + 1)
        fail('the what-to-use table scrolls sideways: ' + w.scrollWidth + ' > ' + w.clientWidth);
    }
    var toc = document.getElementById('contents');
    if (!toc || !t || !(t.compareDocumentPosition(toc) & Node.DOCUMENT_POSITION_FOLLOWING))
      fail('the contents do not follow the what-to-use table');
    out.push('page ' + de.scrollWidth + ' px wide in a ' + de.clientWidth + ' px window');
    if (de.scrollWidth > de.clientWidth + 1)
      fail('the page is wider than the window: ' + de.scrollWidth + ' > ' + de.clientWidth);
    document.querySelectorAll('details').forEach(function (d) { d.open = true; });
    var imgs = Array.prototype.slice.call(document.images);
    var svgs = Array.prototype.slice.call(document.querySelectorAll('svg'));
    imgs.forEach(function (i) {
      if (!(i.complete && i.naturalWidth > 0)) fail('image not loaded: ' + i.getAttribute('src'));
    });
    svgs.forEach(function (s, k) {
      var r = s.getBoundingClientRect();
      if (!(r.width > 0 && r.height > 0)) fail('inline SVG ' + k + ' not rendered');
    });
    out.push(imgs.length + ' images, ' + svgs.length + ' inline SVGs');
    var links = document.querySelectorAll('a[href^="#"]');
    links.forEach(function (a) {
      var id = decodeURIComponent(a.getAttribute('href').slice(1));
      if (!document.getElementById(id)) fail('no target for #' + id);
    });
    out.push(links.length + ' internal links');
    errs.forEach(fail);
    var text = 'SELFCHECK ' + (n ? 'FAIL (' + n + ')' : 'PASS') + '\n' + out.join('\n') + '\nSELFCHECK END';
    report(text);
    if (window.parent !== window) window.parent.postMessage(text, '*');
  });
})();"##;

/// Renders the document; `svgs` maps chart stems to their SVG markup.
pub fn render(doc: &[Block], svgs: &HashMap<&str, &str>) -> String {
    let title = doc
        .iter()
        .find_map(|b| match b {
            Block::Heading { level: 1, text, .. } => Some(plain(text)),
            _ => None,
        })
        .unwrap_or_else(|| "syncbench".to_string());
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<script>{SELFCHECK_JS}</script>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&title)
    );
    for b in doc {
        block(b, svgs, &mut out);
    }
    out.push_str(&format!("<script>{SORT_JS}</script>\n</body>\n</html>\n"));
    out
}

fn block(b: &Block, svgs: &HashMap<&str, &str>, out: &mut String) {
    match b {
        Block::Heading { level, id, text } => {
            let l = level.clamp(&1, &6);
            let id = id
                .as_ref()
                .map(|i| format!(" id=\"{}\"", escape(i)))
                .unwrap_or_default();
            out.push_str(&format!("<h{l}{id}>{}</h{l}>\n", line(text)));
        }
        Block::Para(l) => out.push_str(&format!("<p>{}</p>\n", line(l))),
        Block::List(items) => {
            out.push_str("<ul>\n");
            for l in items {
                out.push_str(&format!("<li>{}</li>\n", line(l)));
            }
            out.push_str("</ul>\n");
        }
        Block::Table { head, right, rows } => {
            let class = |i: usize| {
                if right.get(i).copied().unwrap_or(false) {
                    " class=\"r\""
                } else {
                    ""
                }
            };
            out.push_str("<div class=\"tw\">\n<table>\n<thead><tr>");
            for (i, h) in head.iter().enumerate() {
                out.push_str(&format!("<th{}>{}</th>", class(i), escape(h)));
            }
            out.push_str("</tr></thead>\n<tbody>\n");
            for row in rows {
                out.push_str("<tr>");
                for (i, cell) in row.iter().enumerate() {
                    out.push_str(&format!("<td{}>{}</td>", class(i), line(cell)));
                }
                out.push_str("</tr>\n");
            }
            out.push_str("</tbody>\n</table>\n</div>\n");
        }
        Block::Details { summary, body } => {
            out.push_str(&format!(
                "<details>\n<summary>{}</summary>\n",
                escape(summary)
            ));
            for b in body {
                block(b, svgs, out);
            }
            out.push_str("</details>\n");
        }
        Block::Figure { stem, alt } => figure_as(stem, alt, svgs, &["svg"], out),
        Block::Chart { stem, alt } => {
            figure(stem, alt, svgs, out);
            // The cost chart, where the scenario has one, right below.
            let cost = crate::report::render::chart::cost_stem(stem);
            if svgs.contains_key(cost.as_str()) {
                let id = alt
                    .split_once(": throughput")
                    .map_or(alt.as_str(), |(id, _)| id);
                figure(
                    &cost,
                    &format!("{id}: CPU time per operation, log scale"),
                    svgs,
                    out,
                );
            }
        }
    }
}

/// One chart: its SVG inline (an `<img>` of the file when not rendered
/// here), with links to both files.
fn figure(stem: &str, alt: &str, svgs: &HashMap<&str, &str>, out: &mut String) {
    figure_as(stem, alt, svgs, &["svg", "png"], out);
}

/// [`figure`], linking the files of the given formats only.
fn figure_as(
    stem: &str,
    alt: &str,
    svgs: &HashMap<&str, &str>,
    formats: &[&str],
    out: &mut String,
) {
    out.push_str("<figure>\n");
    match svgs.get(stem) {
        Some(svg) => {
            out.push_str(&format!(
                "<div role=\"img\" aria-label=\"{}\">\n{}\n</div>\n",
                escape(alt),
                strip_prolog(svg)
            ));
        }
        None => out.push_str(&format!(
            "<img src=\"charts/{0}.svg\" alt=\"{1}\">\n",
            escape(stem),
            escape(alt)
        )),
    }
    let links: Vec<String> = formats
        .iter()
        .map(|f| {
            format!(
                "<a href=\"charts/{}.{f}\">{}</a>",
                escape(stem),
                f.to_uppercase()
            )
        })
        .collect();
    out.push_str(&format!(
        "<figcaption>{}</figcaption>\n</figure>\n",
        links.join(" · ")
    ));
}

/// Drops an XML declaration, which is not allowed inside HTML.
fn strip_prolog(svg: &str) -> &str {
    match svg.trim_start().strip_prefix("<?xml") {
        Some(rest) => rest.split_once("?>").map_or(svg, |(_, r)| r.trim_start()),
        None => svg,
    }
}

fn line(l: &Line) -> String {
    let mut s = String::new();
    for i in l {
        match i {
            Inline::Text(t) => s.push_str(&escape(t)),
            Inline::Strong(t) => s.push_str(&format!("<strong>{}</strong>", escape(t))),
            Inline::Code(c) => s.push_str(&format!("<code>{}</code>", escape(c))),
            Inline::Link(t, href) => {
                s.push_str(&format!("<a href=\"{}\">{}</a>", escape(href), escape(t)));
            }
        }
    }
    s
}

fn plain(l: &Line) -> String {
    l.iter()
        .map(|i| match i {
            Inline::Text(t) | Inline::Strong(t) | Inline::Code(t) | Inline::Link(t, _) => {
                t.as_str()
            }
        })
        .collect()
}

fn escape(t: &str) -> String {
    let mut s = String::with_capacity(t.len());
    for c in t.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            _ => s.push(c),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_inlines_charts() {
        let doc = vec![
            Block::Heading {
                level: 1,
                id: None,
                text: vec![Inline::Text("a <b> & c".into())],
            },
            Block::Chart {
                stem: "w_s".into(),
                alt: "chart".into(),
            },
        ];
        let svgs: HashMap<&str, &str> = [
            ("w_s", "<?xml version=\"1.0\"?>\n<svg></svg>"),
            ("w_s-cpu", "<svg>cost</svg>"),
        ]
        .into();
        let html = render(&doc, &svgs);
        // The cost chart follows the throughput chart.
        let (thr, cost) = (html.find("<svg></svg>"), html.find("<svg>cost</svg>"));
        assert!(thr.is_some() && cost > thr, "{html}");
        assert!(html.contains("href=\"charts/w_s-cpu.png\""), "{html}");
        assert!(html.contains("aria-label=\"chart\""), "{html}");
        assert!(
            html.contains("<title>a &lt;b&gt; &amp; c</title>"),
            "{html}"
        );
        assert!(html.contains("<h1>a &lt;b&gt; &amp; c</h1>"), "{html}");
        assert!(html.contains("\n<svg></svg>\n"), "{html}");
        assert!(!html.contains("<?xml"), "{html}");
    }
}

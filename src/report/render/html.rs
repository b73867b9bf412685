//! `index.html`: the same document as `DECISIONS.md`, self-contained, with
//! every chart's SVG inline: each scenario's throughput chart, and its CPU
//! cost chart (`<stem>-cpu`) right below it where one was rendered.

use std::collections::HashMap;

use super::doc::{Block, Inline, Line};

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;\
max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}\
table{border-collapse:collapse;margin:.5em 0 1em;font-size:.92em}\
th,td{border:1px solid #ccc;padding:.25em .55em;vertical-align:top}\
th{background:#f3f3f3}td.r,th.r{text-align:right}\
code{background:#f5f5f5;padding:0 .2em;border-radius:3px}\
details{margin:.4em 0 1em}summary{cursor:pointer;color:#0645ad}\
figure{margin:1em 0}figure svg{max-width:100%;height:auto}\
h3{margin-top:2em;border-bottom:1px solid #ddd}";

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
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&title)
    );
    for b in doc {
        block(b, svgs, &mut out);
    }
    out.push_str("</body>\n</html>\n");
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
            out.push_str("<table>\n<thead><tr>");
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
            out.push_str("</tbody>\n</table>\n");
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
        Block::Chart { stem, alt } => {
            figure(stem, alt, svgs, out);
            // The cost chart, where the scenario has one, right below.
            let cost = super::chart::cost_stem(stem);
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
    out.push_str(&format!(
        "<figcaption><a href=\"charts/{0}.svg\">SVG</a> · \
         <a href=\"charts/{0}.png\">PNG</a></figcaption>\n</figure>\n",
        escape(stem)
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

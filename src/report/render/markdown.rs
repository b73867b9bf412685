//! `DECISIONS.md`: the document as GitHub-flavoured Markdown (tables,
//! `<details>` for the collapsible parts, explicit anchors for links).

use crate::report::render::doc::{Block, Inline, Line};

/// Renders the document.
pub fn render(doc: &[Block]) -> String {
    let mut out = String::new();
    for b in doc {
        block(b, &mut out);
    }
    out
}

fn block(b: &Block, out: &mut String) {
    match b {
        Block::Heading { level, id, text } => {
            out.push_str(&"#".repeat(usize::from(*level).clamp(1, 6)));
            out.push(' ');
            if let Some(id) = id {
                out.push_str(&format!("<a id=\"{id}\"></a>"));
            }
            out.push_str(&line(text, false));
            out.push_str("\n\n");
        }
        Block::Para(l) => {
            out.push_str(&line(l, false));
            out.push_str("\n\n");
        }
        Block::List(items) => {
            for l in items {
                out.push_str("- ");
                out.push_str(&line(l, false));
                out.push('\n');
            }
            out.push('\n');
        }
        Block::Table { head, right, rows } => {
            out.push('|');
            for h in head {
                out.push_str(&format!(" {} |", escape(h, true)));
            }
            out.push_str("\n|");
            for i in 0..head.len() {
                out.push_str(if right.get(i).copied().unwrap_or(false) {
                    "---:|"
                } else {
                    "---|"
                });
            }
            out.push('\n');
            for row in rows {
                out.push('|');
                for cell in row {
                    out.push_str(&format!(" {} |", line(cell, true)));
                }
                out.push('\n');
            }
            out.push('\n');
        }
        Block::Details { summary, body } => {
            out.push_str(&format!(
                "<details>\n<summary>{}</summary>\n\n",
                html_escape(summary)
            ));
            for b in body {
                block(b, out);
            }
            out.push_str("</details>\n\n");
        }
        Block::Chart { stem, alt } => {
            out.push_str(&format!(
                "![{}](charts/{stem}.png)\n\n[SVG](charts/{stem}.svg)\n\n",
                escape(alt, false)
            ));
        }
        Block::Figure { stem, alt } => {
            out.push_str(&format!("![{}](charts/{stem}.svg)\n\n", escape(alt, false)));
        }
    }
}

fn line(l: &Line, in_table: bool) -> String {
    let mut s = String::new();
    for i in l {
        match i {
            Inline::Text(t) => s.push_str(&escape(t, in_table)),
            Inline::Strong(t) => s.push_str(&format!("**{}**", escape(t, in_table))),
            Inline::Code(c) => {
                let c = if in_table {
                    c.replace('|', "\\|")
                } else {
                    c.clone()
                };
                s.push_str(&code_span(&c));
            }
            Inline::Link(t, href) => {
                s.push_str(&format!("[{}]({href})", escape(t, in_table)));
            }
        }
    }
    s.replace('\n', " ")
}

/// A CommonMark code span showing `c` literally, whatever it contains: the
/// fence is one backtick longer than the longest run of backticks inside,
/// and content with a backtick gets a space either side (which CommonMark
/// strips), so no backtick inside can close the span early. Content inside
/// a code span is never parsed as HTML.
fn code_span(c: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for ch in c.chars() {
        if ch == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    if longest == 0 {
        return format!("`{c}`");
    }
    let fence = "`".repeat(longest + 1);
    format!("{fence} {c} {fence}")
}

/// Escapes what Markdown would otherwise interpret in plain text: no raw
/// HTML can start (`<` and `&` are entities), no code span, emphasis or
/// link can open.
fn escape(t: &str, in_table: bool) -> String {
    let mut s = String::with_capacity(t.len());
    for c in t.chars() {
        match c {
            '\\' | '*' | '[' | ']' | '`' => {
                s.push('\\');
                s.push(c);
            }
            '<' => s.push_str("&lt;"),
            '&' => s.push_str("&amp;"),
            '|' if in_table => s.push_str("\\|"),
            _ => s.push(c),
        }
    }
    s
}

fn html_escape(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_escape_pipes_and_align_numbers() {
        let doc = vec![Block::Table {
            head: vec!["a|b".into(), "n".into()],
            right: vec![false, true],
            rows: vec![vec![
                vec![Inline::Code("x|y".into())],
                vec![Inline::Text("1 <2> *".into())],
            ]],
        }];
        assert_eq!(
            render(&doc),
            "| a\\|b | n |\n|---|---:|\n| `x\\|y` | 1 &lt;2> \\* |\n\n"
        );
    }

    #[test]
    fn code_spans_hold_any_backticks() {
        let span = |c: &str| line(&vec![Inline::Code(c.into())], false);
        assert_eq!(span("a/b"), "`a/b`");
        assert_eq!(span("a`b"), "`` a`b ``");
        assert_eq!(span("``a``<img>``b``"), "``` ``a``<img>``b`` ```");
        assert_eq!(span("`"), "`` ` ``");
        let text = line(&vec![Inline::Text("<img src=x> &lt; `x`".into())], false);
        assert_eq!(text, "&lt;img src=x> &amp;lt; \\`x\\`");
    }

    #[test]
    fn headings_carry_anchors() {
        let doc = vec![Block::Heading {
            level: 3,
            id: Some("counter-increment-hot".into()),
            text: vec![Inline::Code("counter/increment/hot".into())],
        }];
        assert_eq!(
            render(&doc),
            "### <a id=\"counter-increment-hot\"></a>`counter/increment/hot`\n\n"
        );
    }
}

//! The report's log: progress lines and warnings, handed to a sink as they
//! come (the binary prints them; tests inspect them).
//!
//! Everything that reaches the sink is [`terminal_safe`]: ids and paths come
//! from files other people wrote, and a control byte in them (ESC, OSC, C0,
//! C1, DEL) is shown escaped (`\x1b`), never sent raw to a terminal.
//!
//! Warnings are bounded: after [`PER_KIND`] warnings of one kind (the same
//! reason, the text after the last `": "`), or [`TOTAL`] in all, further
//! ones are counted, not printed or kept, and one line per kind says
//! "and N more" (kept at once, printed by [`Log::finish`]).

use std::collections::HashMap;

/// Warnings of one kind shown before the rest are only counted.
pub const PER_KIND: usize = 20;

/// Warnings shown in all before the rest are only counted.
pub const TOTAL: usize = 500;

/// Collects warnings and progress lines; the binary prints them as they
/// come, tests inspect them.
pub struct Log<'a> {
    sink: &'a mut dyn FnMut(&str),
    warnings: Vec<String>,
    /// Warnings seen by kind.
    seen: HashMap<String, usize>,
    /// Warnings shown so far.
    shown: usize,
    /// By kind: how many were held back and where their summary is kept.
    held: Vec<(String, usize, usize)>,
}

impl<'a> Log<'a> {
    /// A log that hands every line to `sink`.
    pub fn new(sink: &'a mut dyn FnMut(&str)) -> Log<'a> {
        Log {
            sink,
            warnings: Vec::new(),
            seen: HashMap::new(),
            shown: 0,
            held: Vec::new(),
        }
    }

    /// A progress line.
    pub fn progress(&mut self, line: &str) {
        (self.sink)(&terminal_safe(line));
    }

    /// A warning: printed and kept for the report's notes (up to the caps).
    pub fn warn(&mut self, message: impl Into<String>) {
        let message = terminal_safe(&message.into());
        let kind = kind_of(&message);
        let n = self.seen.entry(kind.clone()).or_insert(0);
        *n += 1;
        if *n <= PER_KIND && self.shown < TOTAL {
            self.shown += 1;
            (self.sink)(&format!("warning: {message}"));
            self.warnings.push(message);
            return;
        }
        let kind = if self.shown >= TOTAL && *n <= PER_KIND {
            "(any)".to_string()
        } else {
            kind
        };
        match self.held.iter_mut().find(|(k, _, _)| *k == kind) {
            Some((k, count, at)) => {
                *count += 1;
                self.warnings[*at] = summary(k, *count);
            }
            None => {
                (self.sink)(&format!(
                    "warning: too many warnings ending \"{kind}\": the rest are counted, not shown"
                ));
                self.warnings.push(summary(&kind, 1));
                self.held.push((kind, 1, self.warnings.len() - 1));
            }
        }
    }

    /// Prints one "and N more" line per kind of warning held back (the
    /// binary calls it once a command is done).
    pub fn finish(&mut self) {
        for (kind, count, _) in std::mem::take(&mut self.held) {
            (self.sink)(&format!("warning: {}", summary(&kind, count)));
        }
    }

    /// Warnings so far (with one "and N more" line per kind held back).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }
}

fn summary(kind: &str, count: usize) -> String {
    format!("and {count} more warnings ending \"{kind}\" (not shown)")
}

/// A warning's kind: its reason, the text after the last `": "`, at most
/// 80 characters.
fn kind_of(message: &str) -> String {
    let reason = message.rsplit(": ").next().unwrap_or(message);
    reason.chars().take(80).collect()
}

/// `s` with every control character (C0, DEL, C1) and every Unicode
/// direction override shown escaped (`\x1b`, `\u{202e}`), so that text from
/// an input file cannot drive the terminal it is printed on.
pub fn terminal_safe(s: &str) -> String {
    if !s.chars().any(unsafe_char) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !unsafe_char(c) {
            out.push(c);
        } else if (c as u32) < 0x80 {
            out.push_str(&format!("\\x{:02x}", c as u32));
        } else {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
    out
}

fn unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_bytes_are_shown_escaped() {
        assert_eq!(terminal_safe("a/b"), "a/b");
        assert_eq!(
            terminal_safe("x\u{1b}]0;t\u{7}\u{9b}\u{7f}\u{202e}y"),
            "x\\x1b]0;t\\x07\\u{9b}\\x7f\\u{202e}y"
        );
        let mut lines = Vec::new();
        let mut sink = |l: &str| lines.push(l.to_string());
        let mut log = Log::new(&mut sink);
        log.warn("id \u{1b}[31mred");
        assert_eq!(log.warnings(), ["id \\x1b[31mred"]);
        log.finish();
        assert_eq!(lines, ["warning: id \\x1b[31mred"]);
    }

    #[test]
    fn repeated_warnings_are_counted() {
        let mut lines = Vec::new();
        let mut sink = |l: &str| lines.push(l.to_string());
        let mut log = Log::new(&mut sink);
        for i in 0..1000 {
            log.warn(format!("skipped r{i}: duplicate id"));
        }
        log.warn("something else");
        assert_eq!(log.warnings().len(), PER_KIND + 2);
        assert_eq!(
            log.warnings()[PER_KIND],
            "and 980 more warnings ending \"duplicate id\" (not shown)"
        );
        log.finish();
        assert_eq!(lines.len(), PER_KIND + 3);
        assert!(lines.last().unwrap().contains("and 980 more"), "{lines:?}");
    }
}

//! The report's log: progress lines and warnings, handed to a sink as they
//! come (the binary prints them; tests inspect them).

/// Collects warnings and progress lines; the binary prints them as they
/// come, tests inspect them.
pub struct Log<'a> {
    sink: &'a mut dyn FnMut(&str),
    warnings: Vec<String>,
}

impl<'a> Log<'a> {
    /// A log that hands every line to `sink`.
    pub fn new(sink: &'a mut dyn FnMut(&str)) -> Log<'a> {
        Log {
            sink,
            warnings: Vec::new(),
        }
    }

    /// A progress line.
    pub fn progress(&mut self, line: &str) {
        (self.sink)(line);
    }

    /// A warning: printed and kept for the report's notes.
    pub fn warn(&mut self, message: impl Into<String>) {
        let message = message.into();
        (self.sink)(&format!("warning: {message}"));
        self.warnings.push(message);
    }

    /// Warnings so far.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }
}

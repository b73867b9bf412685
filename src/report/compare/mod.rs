//! Stage 4 of the report: several result sets side by side.

pub mod diff;
pub mod machines;
pub mod merge;

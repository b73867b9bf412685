//! Stage 4 of the report: several result sets side by side.
//!
//! - [`diff`]: `report diff A B`, where two runs (or machines) disagree, cell
//!   by cell and rule by rule, with the Go side apart;
//! - [`merge`]: several machines' inputs analysed one machine each, the
//!   inputs refused that cannot be placed;
//! - [`regret`]: what following one run's answers costs on the other (part
//!   of `report diff`);
//! - [`merged`]: the merged report of those machines (one column each),
//!   formatted from what [`merge`] computed.

pub mod diff;
pub mod merge;
pub mod merged;
pub mod regret;

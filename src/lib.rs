//! syncbench: "mutex, RwLock, atomic or channel?" settled with measurements.
//!
//! The crate is organised the way the measurements are:
//!
//! - [`harness`] owns every clock, thread and barrier. Strategies never time
//!   themselves; a [`harness::Workload`] is driven by a [`harness::Pool`] of
//!   persistent worker threads, released together, through static dispatch.
//! - One module per workload ([`counter`], …) defines the trait every strategy
//!   of that workload implements, one small file per primitive.
//!
//! Benches (`benches/*.rs`) are thin loops over strategies × parameters; the
//! `report` binary turns criterion's output into charts and a decision table.
#![deny(missing_docs)]

// The bench glue (criterion bridge, groups, passes, sidecars) and the
// bring-your-own-primitive entry points. Not in the loom build, which
// model-checks the round protocol only.
#[cfg(not(loom))]
pub mod bench;
pub mod channels;
pub mod counter;
pub mod handoff;
pub mod harness;
pub mod io;
pub mod lifecycle;
pub mod map;
pub mod pipeline;
pub mod primitive;
pub mod report;
pub mod signal;
pub mod sync;
// tokio and async-channel's event-listener read `--cfg loom` as "build
// against loom", which only their own test setups provide: the async tasks
// are left out of the loom build (`tests/loom.rs` checks the round protocol
// they share with the thread pool, `harness::round`).
#[cfg(not(loom))]
pub mod tasks;
pub mod ttas;

/// Registers the embedded DejaVu Sans font as plotters' `sans-serif` family.
///
/// plotters is built with `ab_glyph` (no system fonts, no fontconfig), so any
/// chart with text — ours and criterion's own plots — needs a registered font.
/// Safe to call more than once.
pub fn register_fonts() {
    use plotters::style::FontStyle;
    let faces: [(FontStyle, &'static [u8]); 4] = [
        (FontStyle::Normal, dejavu::sans::regular()),
        (FontStyle::Bold, dejavu::sans::bold()),
        (FontStyle::Italic, dejavu::sans::oblique()),
        (FontStyle::Oblique, dejavu::sans::oblique()),
    ];
    for (style, bytes) in faces {
        // The bytes are a font embedded at compile time; failing to parse it
        // is a build defect, not a runtime condition.
        plotters::style::register_font("sans-serif", style, bytes).unwrap_or_else(|_| {
            panic!(
                "embedded DejaVu Sans ({}) is not a valid font",
                style.as_str()
            )
        });
    }
}

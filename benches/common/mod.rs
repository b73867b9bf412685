//! Bench glue shared by every bench target: the library's
//! [`syncbench::bench`] module, which another crate's benches use too.

#![allow(unused_imports)] // each bench target uses a different subset

pub use syncbench::bench::{Context, Group};

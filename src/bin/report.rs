//! `cargo run --release --bin report`: placeholder until the report lands.
use std::process::ExitCode;

fn main() -> ExitCode {
    eprintln!("error: the report is not implemented yet");
    ExitCode::FAILURE
}

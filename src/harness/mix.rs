//! Read/write mixes: percentages that add to 100, spread evenly over a
//! thread's operations.

use std::fmt;

/// A read/write mix such as 99/1 or 90/10.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mix {
    read: u32,
    write: u32,
}

/// A mix whose percentages do not add to 100.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MixError {
    /// The read percentage given.
    pub read: u32,
    /// The write percentage given.
    pub write: u32,
}

impl fmt::Display for MixError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "mix {}/{} does not add up to 100 percent",
            self.read, self.write
        )
    }
}

impl std::error::Error for MixError {}

impl Mix {
    /// A mix of `read` percent reads and `write` percent writes.
    pub const fn new(read: u32, write: u32) -> Result<Mix, MixError> {
        if read.checked_add(write).is_some() && read + write == 100 {
            Ok(Mix { read, write })
        } else {
            Err(MixError { read, write })
        }
    }

    /// The mix's name in benchmark ids, e.g. `99-1`.
    pub fn name(self) -> String {
        format!("{}-{}", self.read, self.write)
    }

    /// A cursor deciding, op by op, whether to write. Threads start at
    /// different phases so they do not write in lockstep.
    pub fn cursor(self, thread: usize) -> MixCursor {
        MixCursor {
            write: self.write,
            acc: ((thread as u64 * 37) % 100) as u32,
        }
    }
}

/// Bresenham-style chooser: exactly `write` writes in every 100 operations,
/// evenly spaced, with no randomness or table lookups in the hot loop.
#[derive(Clone, Copy, Debug)]
pub struct MixCursor {
    write: u32,
    acc: u32,
}

impl MixCursor {
    /// Whether the next operation is a write.
    #[inline(always)]
    pub fn next_is_write(&mut self) -> bool {
        self.acc += self.write;
        if self.acc >= 100 {
            self.acc -= 100;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_mixes_that_do_not_add_up() {
        assert!(Mix::new(99, 1).is_ok());
        assert!(Mix::new(0, 100).is_ok());
        let e = Mix::new(90, 20).unwrap_err();
        assert!(e.to_string().contains("90/20"));
        assert!(Mix::new(u32::MAX, 2).is_err());
    }

    #[test]
    fn cursor_writes_exactly_the_percentage() {
        for (r, w) in [(99, 1), (90, 10), (50, 50), (10, 90), (100, 0), (0, 100)] {
            let mix = Mix::new(r, w).unwrap();
            for thread in 0..5 {
                let mut c = mix.cursor(thread);
                let writes = (0..10_000).filter(|_| c.next_is_write()).count();
                assert_eq!(writes as u32, w * 100, "{r}/{w} thread {thread}");
            }
        }
        assert_eq!(Mix::new(99, 1).unwrap().name(), "99-1");
    }
}

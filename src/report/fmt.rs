//! Number formatting shared by every stage: three significant digits, SI
//! prefixes.

/// `12.3`, `0.0213`, `1234`: three significant digits, no exponent.
pub fn fmt_num(x: f64) -> String {
    if !x.is_finite() {
        return "?".to_string();
    }
    let a = x.abs();
    if a >= 100.0 {
        format!("{x:.0}")
    } else if a >= 10.0 {
        format!("{x:.1}")
    } else if a >= 1.0 {
        format!("{x:.2}")
    } else if a == 0.0 {
        "0".to_string()
    } else {
        let digits = (-a.log10().floor()) as usize + 2;
        format!("{x:.digits$}")
    }
}

/// `x` scaled to its SI prefix: `(12.3, "M")` for 12.3e6.
pub fn si_split(x: f64) -> (f64, &'static str) {
    if x >= 1e9 {
        (x / 1e9, "G")
    } else if x >= 1e6 {
        (x / 1e6, "M")
    } else if x >= 1e3 {
        (x / 1e3, "k")
    } else {
        (x, "")
    }
}

/// Operations per second with SI prefix: `12.3M`, `870k`, `2.50G`.
pub fn fmt_si(x: f64) -> String {
    let (v, unit) = si_split(x);
    format!("{}{unit}", fmt_num(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_three_significant_digits() {
        assert_eq!(fmt_num(1234.4), "1234");
        assert_eq!(fmt_num(12.34), "12.3");
        assert_eq!(fmt_num(1.234), "1.23");
        assert_eq!(fmt_num(0.02134), "0.0213");
        assert_eq!(fmt_num(0.5), "0.500");
        assert_eq!(fmt_si(2.5e9), "2.50G");
        assert_eq!(fmt_si(870_000.0), "870k");
        assert_eq!(fmt_si(12.0), "12.0");
    }
}

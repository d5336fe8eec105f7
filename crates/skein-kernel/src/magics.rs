//! IPython's magics in a cell, rewritten on their own lines so tracebacks keep their line
//! numbers:
//!
//! - `%%time` on the first line times the cell (the kernel prints the wall time after it);
//! - `%%timeit` on the first line runs the cell once and prints IPython's timeit line;
//! - `%time X` times the statement or expression `X` and prints the wall time, and shows the
//!   value of `X` when it is the cell's last line, as IPython does;
//! - `%timeit X` times `X` over seven runs of one loop and prints IPython's timeit line;
//! - any other `%` line (`%matplotlib inline`) is accepted and does nothing.
//!
//! The timing and its text are the prelude's (`prelude/magics.py`).

/// What a cell magic on the first line asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CellMagic {
    /// No cell magic.
    None,
    /// `%%time`.
    Time,
    /// `%%timeit`.
    Timeit,
}

/// How many runs `%timeit` makes (IPython's default).
const TIMEIT_RUNS: usize = 7;

/// `source` with its magics rewritten, and the cell magic of its first line.
pub(crate) fn rewrite(source: &str) -> (String, CellMagic) {
    let mut magic = CellMagic::None;
    let mut out = String::with_capacity(source.len());
    for (index, line) in source.split_inclusive('\n').enumerate() {
        let newline = if line.ends_with('\n') { "\n" } else { "" };
        let body = line.trim_end_matches(['\n', '\r']);
        if index == 0 && body.trim_start().starts_with("%%") {
            magic = match body.split_whitespace().next() {
                Some("%%time") => CellMagic::Time,
                Some("%%timeit") => CellMagic::Timeit,
                _ => CellMagic::None,
            };
            out.push_str(newline);
        } else if let Some(rest) = body.strip_prefix('%') {
            out.push_str(&line_magic(rest));
            out.push_str(newline);
        } else {
            out.push_str(line);
        }
    }
    (out, magic)
}

/// The Python for one `%name args` line (`rest` is the text after the `%`).
fn line_magic(rest: &str) -> String {
    let (name, code) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let code = code.trim();
    if code.is_empty() || !matches!(name, "time" | "timeit") {
        return String::new();
    }
    let expression = ruff_python_parser::parse_expression(code).is_ok();
    match (name, expression) {
        ("time", true) => format!(
            "_skein_t0 = _skein_clock(); _skein_timed = ({code}); _skein_wall_time(_skein_t0); _skein_timed"
        ),
        ("time", false) => {
            format!("_skein_t0 = _skein_clock(); {code}; _skein_wall_time(_skein_t0)")
        }
        (_, true) => format!(
            "_skein_timeit(_skein_clock(), [_skein_lap(({code})) for _skein_run in range({TIMEIT_RUNS})])"
        ),
        (_, false) => {
            format!(
                "_skein_t0 = _skein_clock(); {code}; _skein_timeit(_skein_t0, [_skein_clock()])"
            )
        }
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn cell_magics_are_read_from_the_first_line_and_removed() {
        assert_eq!(
            rewrite("%%time\nx = 1"),
            ("\nx = 1".into(), CellMagic::Time)
        );
        assert_eq!(
            rewrite("%%timeit\nf()"),
            ("\nf()".into(), CellMagic::Timeit)
        );
        assert_eq!(
            rewrite("%matplotlib inline\nx"),
            ("\nx".into(), CellMagic::None)
        );
        assert_eq!(
            rewrite("x = 1\n%%time"),
            ("x = 1\n".into(), CellMagic::None)
        );
    }

    #[test]
    fn line_magics_time_their_code_on_the_same_line() {
        let (text, _) = rewrite("%time sum(range(3))\n%time y = 2\n%timeit f(1)");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "_skein_t0 = _skein_clock(); _skein_timed = (sum(range(3))); _skein_wall_time(_skein_t0); _skein_timed"
        );
        assert_eq!(
            lines[1],
            "_skein_t0 = _skein_clock(); y = 2; _skein_wall_time(_skein_t0)"
        );
        assert!(lines[2].contains("_skein_lap((f(1)))") && lines[2].contains("range(7)"));
        assert_eq!(lines.len(), 3);
    }
}

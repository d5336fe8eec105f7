//! Dask's `retries=` of `client.submit` and `client.map`: a task whose function raises runs
//! again, up to that many more times, before its future is an error. An interrupted task is
//! never retried.

use monty_types::ObjectRef;
use skein_core::{TaskError, Value};

/// More than this many retries is taken as this many: a task that always fails must end.
const MAX_RETRIES: u32 = 1000;

/// The `retries` a prelude call passed (`None`, absent or negative: none).
pub(crate) fn count(arg: Option<ObjectRef<'_>>) -> u32 {
    arg.and_then(|a| a.as_int()).map_or(0, |n| {
        u32::try_from(n.clamp(0, i64::from(MAX_RETRIES))).unwrap_or(0)
    })
}

/// Runs `task` once and then again while it fails, up to `retries` more times, unless
/// `interrupted` says the cell was interrupted.
pub(crate) fn run(
    retries: u32,
    interrupted: impl Fn() -> bool,
    mut task: impl FnMut() -> Result<Value, TaskError>,
) -> Result<Value, TaskError> {
    let mut attempt = 0;
    loop {
        match task() {
            Err(_) if attempt < retries && !interrupted() => attempt += 1,
            result => return result,
        }
    }
}

#[cfg(test)]
mod test {
    use super::*;

    /// How many calls `run` makes of a task that succeeds on call `succeeds_on` (never if
    /// `None`), and whether the run ended in success.
    fn calls(retries: u32, interrupted: bool, succeeds_on: Option<u32>) -> (u32, bool) {
        let mut calls = 0;
        let result = run(
            retries,
            || interrupted,
            || {
                calls += 1;
                if Some(calls) == succeeds_on {
                    Ok(Value::new(calls))
                } else {
                    Err(TaskError::new("flaky"))
                }
            },
        );
        (calls, result.is_ok())
    }

    #[test]
    fn a_failing_task_runs_again_until_it_succeeds_or_the_retries_are_spent() {
        assert_eq!(calls(5, false, Some(3)), (3, true));
        assert_eq!(calls(2, false, None), (3, false));
        assert_eq!(calls(0, false, Some(2)), (1, false));
    }

    #[test]
    fn an_interrupted_task_is_not_retried() {
        assert_eq!(calls(5, true, Some(3)), (1, false));
    }
}

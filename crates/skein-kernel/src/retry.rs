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

    #[test]
    fn a_failing_task_runs_again_until_it_succeeds_or_the_retries_are_spent() {
        let mut calls = 0;
        let result = run(
            5,
            || false,
            || {
                calls += 1;
                if calls < 3 {
                    Err(TaskError::new("flaky"))
                } else {
                    Ok(Value::new(calls))
                }
            },
        );
        assert!(result.is_ok());
        assert_eq!(calls, 3);
        let mut calls = 0;
        let result = run(
            2,
            || false,
            || {
                calls += 1;
                Err(TaskError::new("always"))
            },
        );
        assert!(result.is_err());
        assert_eq!(calls, 3);
        let mut calls = 0;
        let _ = run(
            5,
            || true,
            || {
                calls += 1;
                Err(TaskError::new("interrupted"))
            },
        );
        assert_eq!(calls, 1);
    }
}

//! What the host needs to make tasks from one prelude call: a `client.submit` or
//! `client.map` as the prelude passes it ([`ClientCall`]), and how each task is made
//! ([`TaskOptions`]: purity, key, future or pending, retries).

use std::time::Duration;

use monty_types::ObjectRef;
use skein_core::Priority;

use super::args::{FromArg, Mismatch, host_args};

host_args! {
    /// `_skein_submit(func, args, kwargs, values, pure, key[, retries[, priority]])`, or
    /// `_skein_map` with the argument lists in place of `args`.
    pub(crate) struct ClientCall<'a> {
        func: ObjectRef<'a>,
        /// `submit`'s positional arguments, or `map`'s argument lists.
        args: ObjectRef<'a>,
        kwargs: ObjectRef<'a>,
        /// The globals the function reads, by value.
        values: ObjectRef<'a>,
        /// Whether equal calls share a key (Dask's `pure=`).
        pure: bool,
        /// `key=`, or `None`.
        key: ObjectRef<'a>,
        /// `retries=`; `Executor.submit` passes none.
        retries: Retries,
        /// `priority=`.
        priority: UserPriority,
    }
}

/// `priority=` (Dask's: higher runs first; any number): left out or `None`, 0. With
/// `fifo_timeout=` the prelude passes the pair `(priority, fifo_timeout)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct UserPriority {
    user: i32,
    /// `fifo_timeout=`, when given: how long after a generation starts a submission joins it.
    fifo_timeout: Option<Duration>,
}

impl UserPriority {
    /// As Dask's `client.submit` and `client.map` queue their tasks (`fifo_timeout` 100 ms
    /// unless given).
    pub(crate) fn submitted(self) -> Priority {
        Priority::new(
            self.user,
            self.fifo_timeout.unwrap_or(Priority::SUBMIT_FIFO),
        )
    }

    /// As Dask's `compute`, `persist` and `dask.compute` queue theirs (`fifo_timeout` 60 s
    /// unless given).
    pub(crate) fn computed(self) -> Priority {
        Priority::new(
            self.user,
            self.fifo_timeout.unwrap_or(Priority::COMPUTE_FIFO),
        )
    }
}

impl<'a> FromArg<'a> for UserPriority {
    fn from_arg(arg: Option<ObjectRef<'a>>) -> Result<Self, Mismatch<'a>> {
        let (user, fifo_timeout) = match arg.and_then(|a| a.items().map(|items| (a, items))) {
            Some((arg, items)) => match items[..] {
                [user, fifo] => (Some(user), Some(time_delta(fifo)?)),
                _ => return Err(Mismatch::wrong("a priority and a fifo_timeout", arg)),
            },
            None => (arg, None),
        };
        Ok(UserPriority {
            user: user_priority(user)?,
            fifo_timeout,
        })
    }
}

/// Dask's `priority=` as the engine keeps it.
fn user_priority(arg: Option<ObjectRef<'_>>) -> Result<i32, Mismatch<'_>> {
    let Some(arg) = arg.filter(ObjectRef::is_truthy) else {
        // Absent, `None` or zero.
        return Ok(0);
    };
    // A float ranks with the ints it lies between. The cast saturates, and the engine
    // clamps to the 16 bits it keeps (Dask's examples use small numbers).
    let number = arg
        .as_int()
        .map(|n| n as f64)
        .or_else(|| arg.as_float())
        .ok_or_else(|| Mismatch::wrong("a number", arg))?;
    Ok(number.ceil() as i32)
}

/// A time as Dask's `parse_timedelta` reads it: a number of seconds, or text such as
/// `'100 ms'`, `'60s'` or `'1.5 minutes'`; a bare unit (`'ms'`) is one of it.
fn time_delta(arg: ObjectRef<'_>) -> Result<Duration, Mismatch<'_>> {
    let wrong = || Mismatch::wrong("a time such as 100 (seconds) or '100 ms'", arg);
    let seconds = match (arg.as_int(), arg.as_float(), arg.as_str()) {
        (Some(n), _, _) => n as f64,
        (_, Some(x), _) => x,
        (_, _, Some(text)) => seconds_in(text).ok_or_else(wrong)?,
        _ => return Err(wrong()),
    };
    Duration::try_from_secs_f64(seconds).map_err(|_| wrong())
}

/// The seconds in `text` (see [`time_delta`]), if it reads as a time.
fn seconds_in(text: &str) -> Option<f64> {
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if text.is_empty() {
        return None;
    }
    let unit_at = text
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphabetic())
        .last()
        .map_or(text.len(), |(i, _)| i);
    let (number, unit) = text.split_at(unit_at);
    let number: f64 = if number.is_empty() {
        1.0
    } else {
        number.parse().ok()?
    };
    let unit = unit.to_lowercase();
    let unit = unit
        .strip_suffix('s')
        .filter(|u| u.len() > 2)
        .unwrap_or(&unit);
    let scale = match unit {
        "" | "s" | "second" => 1.0,
        "ms" | "millisecond" => 1e-3,
        "us" | "microsecond" => 1e-6,
        "ns" | "nanosecond" => 1e-9,
        "m" | "minute" => 60.0,
        "h" | "hour" => 3600.0,
        "d" | "day" => 86_400.0,
        "w" | "week" => 604_800.0,
        _ => return None,
    };
    Some(number * scale)
}

/// `retries=` (`retry.rs`): how many times a failing call runs again. Left out, `None` or
/// negative: none.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Retries(pub(crate) u32);

impl<'a> FromArg<'a> for Retries {
    fn from_arg(arg: Option<ObjectRef<'a>>) -> Result<Self, Mismatch<'a>> {
        Ok(Retries(crate::retry::count(arg)))
    }
}

/// How one task is made.
#[derive(Clone, Copy)]
pub(crate) struct TaskOptions<'k> {
    /// Whether equal calls share a key (Dask's `pure=`).
    pub(crate) pure: bool,
    /// The key the caller chose, if any.
    pub(crate) key: Option<&'k str>,
    /// Computed at once as a future (`submit`), or kept pending (`delayed`, `map`'s tasks
    /// before their one submission).
    pub(crate) future: bool,
    /// How many times a failing call runs again.
    pub(crate) retries: u32,
    /// The user's priority (`priority=`), for a future.
    pub(crate) priority: UserPriority,
}

impl TaskOptions<'_> {
    /// A pending task of a `delayed` graph or a bag: no key of its own, no retries.
    pub(crate) fn pending(pure: bool) -> TaskOptions<'static> {
        TaskOptions {
            pure,
            key: None,
            future: false,
            retries: 0,
            priority: UserPriority::default(),
        }
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use monty_types::MontyObject;

    fn priority(arg: &MontyObject) -> UserPriority {
        UserPriority::from_arg(Some(arg.as_ref())).unwrap()
    }

    #[test]
    fn times_read_as_dask_s_parse_timedelta_reads_them() {
        for (text, seconds) in [
            ("100 ms", 0.1),
            ("60s", 60.0),
            ("1.5 minutes", 90.0),
            ("2h", 7200.0),
            ("ms", 0.001),
            ("0ms", 0.0),
            ("3 Seconds", 3.0),
            ("250us", 0.000_25),
        ] {
            let found = seconds_in(text).unwrap_or(f64::NAN);
            assert!((found - seconds).abs() < 1e-12, "{text}: {found}");
        }
        for text in ["5 parsecs", "", "fast", "1..2s"] {
            assert_eq!(seconds_in(text), None, "{text}");
        }
    }

    #[test]
    fn a_fifo_timeout_rides_with_the_priority() {
        let plain = priority(&MontyObject::int(3));
        assert_eq!(plain.submitted(), Priority::new(3, Priority::SUBMIT_FIFO));
        assert_eq!(plain.computed(), Priority::new(3, Priority::COMPUTE_FIFO));
        let pair = MontyObject::tuple([MontyObject::int(0), MontyObject::string("60s")]);
        let given = priority(&pair);
        assert_eq!(given.submitted(), Priority::new(0, Duration::from_secs(60)));
        assert_eq!(given.computed(), Priority::new(0, Duration::from_secs(60)));
        let seconds = MontyObject::tuple([MontyObject::int(1), MontyObject::float(0.25)]);
        assert_eq!(
            priority(&seconds).submitted(),
            Priority::new(1, Duration::from_millis(250))
        );
        let bad = MontyObject::tuple([MontyObject::int(0), MontyObject::string("soon")]);
        assert!(UserPriority::from_arg(Some(bad.as_ref())).is_err());
        let negative = MontyObject::tuple([MontyObject::int(0), MontyObject::int(-1)]);
        assert!(UserPriority::from_arg(Some(negative.as_ref())).is_err());
    }
}

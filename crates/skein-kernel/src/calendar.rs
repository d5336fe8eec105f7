//! The host's answers to `datetime.datetime.now()` and `datetime.date.today()`: the
//! platform's clock (`skein_core::clock`) as Monty's date and datetime values.

use monty_types::{MontyDate, MontyDateTime, MontyObject, MontyTimeZone};

/// `datetime.now(tz)`: naive values are UTC (Skein's sandbox has no local zone).
pub(crate) fn now(tz: Option<&MontyTimeZone>) -> MontyObject {
    MontyObject::datetime(datetime_at(skein_core::clock::now_ms(), tz))
}

/// `date.today()`, in UTC.
pub(crate) fn today() -> MontyObject {
    let d = datetime_at(skein_core::clock::now_ms(), None);
    MontyObject::date(MontyDate {
        year: d.year,
        month: d.month,
        day: d.day,
    })
}

/// The wall-clock time `unix_ms` milliseconds after the epoch, in `tz` (or UTC, naive).
fn datetime_at(unix_ms: f64, tz: Option<&MontyTimeZone>) -> MontyDateTime {
    let offset = tz.map_or(0, |tz| i64::from(tz.offset_seconds));
    // Clamped to years 1970..=9999 so every field is in Python's range.
    let micros = (unix_ms * 1e3).clamp(0.0, 253_402_300_799e6) as i64 + offset * 1_000_000;
    let micros = micros.max(0);
    let days = micros.div_euclid(86_400_000_000);
    let of_day = micros.rem_euclid(86_400_000_000);
    let (year, month, day) = civil_from_days(days);
    let seconds = of_day / 1_000_000;
    MontyDateTime {
        year,
        month,
        day,
        hour: (seconds / 3600) as u8,
        minute: (seconds / 60 % 60) as u8,
        second: (seconds % 60) as u8,
        microsecond: (of_day % 1_000_000) as u32,
        offset_seconds: tz.map(|tz| tz.offset_seconds),
        timezone_name: tz.and_then(|tz| tz.name.clone()),
    }
}

/// The Gregorian date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year as i32, month, day)
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn the_epoch_and_a_leap_day_fall_on_their_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        // 2024-02-29 is day 19_782 of the epoch.
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        let d = datetime_at(19_782.0 * 86_400_000.0 + 3_723_500.0, None);
        assert_eq!(
            (d.hour, d.minute, d.second, d.microsecond),
            (1, 2, 3, 500_000)
        );
        let tz = MontyTimeZone {
            offset_seconds: -3600,
            name: None,
        };
        let d = datetime_at(19_782.0 * 86_400_000.0, Some(&tz));
        assert_eq!((d.day, d.hour, d.offset_seconds), (28, 23, Some(-3600)));
    }
}

//! How times read in the app: short and in the viewer's own time zone.

use crate::i18n::{month_short, weekday_short};
use crate::tr;
use chrono::{DateTime, Datelike, FixedOffset, Timelike, Utc};

/// The viewer's UTC offset (from the browser in the app).
pub fn local_offset() -> FixedOffset {
    *chrono::Local::now().offset()
}

/// A list row's time: "now", "5 min", "14:05" earlier today, "Mon" this week, "12 Mar" this
/// year, "12 Mar 2024" before (in the language in use).
pub fn list_time(at: DateTime<Utc>, now: DateTime<Utc>, offset: FixedOffset) -> String {
    let age = now.signed_duration_since(at);
    if age.num_seconds() < 60 {
        return tr!("time-now");
    }
    if age.num_minutes() < 60 {
        return tr!("time-minutes", minutes = age.num_minutes());
    }
    let local = at.with_timezone(&offset);
    let today = now.with_timezone(&offset);
    if local.date_naive() == today.date_naive() {
        clock(&local)
    } else if age.num_days() < 6 {
        weekday_short(local.weekday().number_from_monday())
    } else if local.year() == today.year() {
        day_month(local.day(), local.month())
    } else {
        tr!(
            "date-day-month-year",
            day = local.day(),
            month = month_short(local.month()),
            year = local.year()
        )
    }
}

/// "14:05": hours and minutes, as both languages write them (without chrono's format
/// strings, whose reader would otherwise come with the first load).
pub fn clock(local: &DateTime<FixedOffset>) -> String {
    format!("{:02}:{:02}", local.hour(), local.minute())
}

/// "12 Mar" / "12 мар.".
pub fn day_month(day: u32, month: u32) -> String {
    tr!("date-day-month", day = day, month = month_short(month))
}

/// A message's time: "14:05" today, "12 Mar, 14:05" otherwise.
pub fn message_time(at: DateTime<Utc>, now: DateTime<Utc>, offset: FixedOffset) -> String {
    let local = at.with_timezone(&offset);
    let time = clock(&local);
    if local.date_naive() == now.with_timezone(&offset).date_naive() {
        time
    } else {
        tr!(
            "date-day-month-time",
            day = local.day(),
            month = month_short(local.month()),
            time = time
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    #[test]
    fn list_times_shorten_with_recency() {
        let now = Utc.with_ymd_and_hms(2026, 3, 12, 15, 0, 0).unwrap();
        let utc = FixedOffset::east_opt(0).unwrap();
        let check =
            |ago: Duration, expected: &str| assert_eq!(list_time(now - ago, now, utc), expected);
        check(Duration::seconds(10), "now");
        check(Duration::minutes(5), "5 min");
        check(Duration::hours(2), "13:00");
        check(Duration::days(2), "Tue");
        check(Duration::days(20), "20 Feb");
        check(Duration::days(400), "5 Feb 2025");
    }

    #[test]
    fn russian_times_use_russian_words() {
        use crate::i18n::{Lang, set_lang};
        let now = Utc.with_ymd_and_hms(2026, 3, 12, 15, 0, 0).unwrap();
        let utc = FixedOffset::east_opt(0).unwrap();
        set_lang(Lang::Ru);
        let row = |ago: Duration| list_time(now - ago, now, utc);
        let (fresh, minutes, weekday, this_year, before) = (
            row(Duration::seconds(10)),
            row(Duration::minutes(5)),
            row(Duration::days(2)),
            row(Duration::days(20)),
            row(Duration::days(400)),
        );
        let message = message_time(now - Duration::days(20), now, utc);
        set_lang(Lang::En);
        assert_eq!(fresh, "сейчас");
        assert_eq!(minutes, "5 мин");
        assert_eq!(weekday, "вт");
        assert_eq!(this_year, "20 февр.");
        assert_eq!(before, "5 февр. 2025 г.");
        assert_eq!(message, "20 февр., 15:00");
    }

    #[test]
    fn times_follow_the_viewers_zone() {
        let now = Utc.with_ymd_and_hms(2026, 3, 12, 23, 30, 0).unwrap();
        let moscow = FixedOffset::east_opt(3 * 3600).unwrap();
        let at = now - Duration::hours(2);
        // 21:30 UTC is 00:30 the next day in Moscow: "today" there too.
        assert_eq!(message_time(at, now, moscow), "00:30");
        assert_eq!(
            message_time(at, now, FixedOffset::east_opt(0).unwrap()),
            "21:30"
        );
    }
}

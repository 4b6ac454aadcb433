//! How times read in the app: short and in the viewer's own time zone.

use chrono::{DateTime, Datelike, FixedOffset, Utc};

/// The viewer's UTC offset (from the browser in the app).
pub fn local_offset() -> FixedOffset {
    *chrono::Local::now().offset()
}

/// A list row's time: "now", "5 min", "14:05" earlier today, "Mon" this week, "12 Mar" this
/// year, "12 Mar 2024" before.
pub fn list_time(at: DateTime<Utc>, now: DateTime<Utc>, offset: FixedOffset) -> String {
    let age = now.signed_duration_since(at);
    if age.num_seconds() < 60 {
        return "now".to_owned();
    }
    if age.num_minutes() < 60 {
        return format!("{} min", age.num_minutes());
    }
    let local = at.with_timezone(&offset);
    let today = now.with_timezone(&offset);
    if local.date_naive() == today.date_naive() {
        local.format("%H:%M").to_string()
    } else if age.num_days() < 6 {
        local.format("%a").to_string()
    } else if local.year() == today.year() {
        local.format("%-d %b").to_string()
    } else {
        local.format("%-d %b %Y").to_string()
    }
}

/// A message's time: "14:05" today, "12 Mar, 14:05" otherwise.
pub fn message_time(at: DateTime<Utc>, now: DateTime<Utc>, offset: FixedOffset) -> String {
    let local = at.with_timezone(&offset);
    if local.date_naive() == now.with_timezone(&offset).date_naive() {
        local.format("%H:%M").to_string()
    } else {
        local.format("%-d %b, %H:%M").to_string()
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

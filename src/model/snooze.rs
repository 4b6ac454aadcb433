//! Snooze times (A2): the presets offered, in the agent's own time zone, and the custom time
//! typed into a date-time field.

use crate::i18n::{month_short, weekday_short};
use crate::tr;
use chrono::{
    DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc, Weekday,
};

/// The presets, label and moment, from `now` in the agent's zone.
pub fn presets(now: DateTime<Utc>, offset: FixedOffset) -> Vec<(String, DateTime<Utc>)> {
    let local = now.with_timezone(&offset);
    let at_nine = |days: i64| {
        let date = local.date_naive() + Duration::days(days);
        offset
            .from_local_datetime(&date.and_hms_opt(9, 0, 0).unwrap_or_default())
            .single()
            .map(|t| t.with_timezone(&Utc))
    };
    let mut out = vec![
        (tr!("snooze-in-1-hour"), now + Duration::hours(1)),
        (tr!("snooze-in-3-hours"), now + Duration::hours(3)),
    ];
    if let Some(tomorrow) = at_nine(1) {
        out.push((tr!("snooze-tomorrow-morning"), tomorrow));
    }
    // Next Monday (a week on, when today is Monday).
    let to_monday = (7 - i64::from(local.weekday().num_days_from_monday())) % 7;
    let to_monday = if to_monday == 0 { 7 } else { to_monday };
    if let Some(monday) = at_nine(to_monday)
        && local.weekday() != Weekday::Sun
    {
        out.push((tr!("snooze-next-monday-morning"), monday));
    }
    out
}

/// Why a custom snooze time cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BadTime {
    #[error("{}", tr!("snooze-pick-time"))]
    Unreadable,
    #[error("{}", tr!("snooze-pick-future"))]
    Past,
}

/// `YYYY-MM-DDTHH:MM` or `…:SS`, read by hand: chrono's format strings would bring their
/// reader into the first load for this one field.
fn local_input(value: &str) -> Option<NaiveDateTime> {
    let (date, time) = value.split_once('T')?;
    let number = |part: &str, digits: usize| {
        (part.len() == digits && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse::<u32>().ok())
            .flatten()
    };
    let mut d = date.split('-');
    let (year, month, day) = (d.next()?, d.next()?, d.next()?);
    let mut t = time.split(':');
    let (hour, minute, second) = (t.next()?, t.next()?, t.next().unwrap_or("00"));
    if d.next().is_some() || t.next().is_some() {
        return None;
    }
    let year = i32::try_from(number(year, 4)?).ok()?;
    NaiveDate::from_ymd_opt(year, number(month, 2)?, number(day, 2)?)?.and_hms_opt(
        number(hour, 2)?,
        number(minute, 2)?,
        number(second, 2)?,
    )
}

/// A `datetime-local` field's value (`YYYY-MM-DDTHH:MM`, seconds optional) in the agent's
/// zone, as a moment after `now`.
pub fn custom(
    value: &str,
    now: DateTime<Utc>,
    offset: FixedOffset,
) -> Result<DateTime<Utc>, BadTime> {
    let naive = local_input(value.trim()).ok_or(BadTime::Unreadable)?;
    let at = offset
        .from_local_datetime(&naive)
        .single()
        .ok_or(BadTime::Unreadable)?
        .with_timezone(&Utc);
    if at <= now {
        return Err(BadTime::Past);
    }
    Ok(at)
}

/// The reminder bar's wording of a snooze deadline.
pub fn until_text(until: DateTime<Utc>, now: DateTime<Utc>, offset: FixedOffset) -> String {
    let local = until.with_timezone(&offset);
    let today = now.with_timezone(&offset).date_naive();
    let date = local.date_naive();
    let time = super::time::clock(&local);
    if date == today {
        tr!("snooze-until-today", time = time)
    } else if date == today + Duration::days(1) {
        tr!("snooze-until-tomorrow", time = time)
    } else {
        tr!(
            "snooze-until-date",
            weekday = weekday_short(local.weekday().number_from_monday()),
            day = local.day(),
            month = month_short(local.month()),
            time = time
        )
    }
}

/// A preset's moment as the snooze dialog shows it beside its label ("Tue 1 Dec, 09:00").
pub fn preset_when(until: DateTime<Utc>, offset: FixedOffset) -> String {
    let local = until.with_timezone(&offset);
    tr!(
        "snooze-preset-when",
        weekday = weekday_short(local.weekday().number_from_monday()),
        day = local.day(),
        month = month_short(local.month()),
        time = super::time::clock(&local)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn presets_follow_the_agents_zone() {
        let berlin = FixedOffset::east_opt(3600).unwrap();
        // Wednesday 25 Nov 2026, 23:30 in Berlin.
        let now = utc("2026-11-25T22:30:00Z");
        let got = presets(now, berlin);
        assert_eq!(got[0], ("In 1 hour".into(), utc("2026-11-25T23:30:00Z")));
        assert_eq!(
            got[2],
            ("Tomorrow, 09:00".into(), utc("2026-11-26T08:00:00Z"))
        );
        assert_eq!(
            got[3],
            ("Next Monday, 09:00".into(), utc("2026-11-30T08:00:00Z"))
        );
        // On a Monday, next Monday is a week on.
        let monday = utc("2026-11-30T10:00:00Z");
        assert_eq!(presets(monday, berlin)[3].1, utc("2026-12-07T08:00:00Z"));
        // On a Sunday, "tomorrow" is already Monday: no second Monday preset.
        let sunday = utc("2026-11-29T10:00:00Z");
        assert_eq!(presets(sunday, berlin).len(), 3);
    }

    #[test]
    fn custom_times_are_local_and_in_the_future() {
        let tokyo = FixedOffset::east_opt(9 * 3600).unwrap();
        let now = utc("2026-11-25T00:00:00Z");
        assert_eq!(
            custom("2026-11-26T09:15", now, tokyo),
            Ok(utc("2026-11-26T00:15:00Z"))
        );
        assert_eq!(custom("2026-11-25T08:59", now, tokyo), Err(BadTime::Past));
        assert_eq!(custom("", now, tokyo), Err(BadTime::Unreadable));
        assert_eq!(custom("tomorrow", now, tokyo), Err(BadTime::Unreadable));
        assert_eq!(
            custom(" 2026-11-26T09:15:30 ", now, tokyo),
            Ok(utc("2026-11-26T00:15:30Z"))
        );
        for bad in [
            "2026-13-01T10:00",
            "2026-02-30T10:00",
            "2026-11-26T24:00",
            "2026-11-26T09:60",
            "2026-11-26 09:15",
            "2026-11-26T9:15",
            "2026-11-26T09:15:07:01",
            "2026-11-26-01T09:15",
            "+026-11-26T09:15",
            "2026-11-26T09:15:07.5",
        ] {
            assert_eq!(custom(bad, now, tokyo), Err(BadTime::Unreadable), "{bad}");
        }
    }

    #[test]
    fn the_reminder_says_when() {
        let utc0 = FixedOffset::east_opt(0).unwrap();
        let now = utc("2026-11-25T10:00:00Z");
        assert_eq!(
            until_text(utc("2026-11-25T17:00:00Z"), now, utc0),
            "today at 17:00"
        );
        assert_eq!(
            until_text(utc("2026-11-26T09:00:00Z"), now, utc0),
            "tomorrow at 09:00"
        );
        assert_eq!(
            until_text(utc("2026-12-01T09:00:00Z"), now, utc0),
            "Tue 1 Dec at 09:00"
        );
        assert_eq!(
            preset_when(utc("2026-12-01T09:00:00Z"), utc0),
            "Tue 1 Dec, 09:00"
        );
    }

    #[test]
    fn russian_snooze_times_use_russian_words() {
        use crate::i18n::{Lang, set_lang};
        let utc0 = FixedOffset::east_opt(0).unwrap();
        // Wednesday 25 Nov 2026, 10:00.
        let now = utc("2026-11-25T10:00:00Z");
        set_lang(Lang::Ru);
        let labels: Vec<String> = presets(now, utc0).into_iter().map(|(l, _)| l).collect();
        let today = until_text(utc("2026-11-25T14:05:00Z"), now, utc0);
        let tomorrow = until_text(utc("2026-11-26T09:00:00Z"), now, utc0);
        let later = until_text(utc("2026-12-01T09:00:00Z"), now, utc0);
        let when = preset_when(utc("2026-12-01T09:00:00Z"), utc0);
        let problems = (BadTime::Unreadable.to_string(), BadTime::Past.to_string());
        set_lang(Lang::En);
        assert_eq!(
            labels,
            [
                "Через 1 час",
                "Через 3 часа",
                "Завтра, 09:00",
                "В следующий понедельник, 09:00"
            ]
        );
        assert_eq!(today, "сегодня в 14:05");
        assert_eq!(tomorrow, "завтра в 09:00");
        assert_eq!(later, "вт, 1 дек. в 09:00");
        assert_eq!(when, "вт, 1 дек., 09:00");
        assert_eq!(problems.0, "Выберите дату и время.");
        assert_eq!(problems.1, "Выберите время в будущем.");
    }
}

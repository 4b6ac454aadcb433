//! Reading times as the API writes them: RFC 3339 (`2026-01-01T10:00:00Z`), by chrono's
//! strict RFC 3339 reader. chrono's own `Deserialize` also takes relaxed forms, through its
//! general format parser, which the app would otherwise carry in its first load. Times are
//! still written by chrono's `Serialize`, in the same format.

use chrono::{DateTime, Utc};
use serde::de::Error;
use serde::{Deserialize, Deserializer};

/// `#[serde(deserialize_with = "crate::time::rfc3339")]`
pub fn rfc3339<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime<Utc>, D::Error> {
    let text = String::deserialize(deserializer)?;
    parse::<D::Error>(&text)
}

/// `#[serde(default, deserialize_with = "crate::time::rfc3339_option")]`: `null` or absent is
/// `None`.
pub fn rfc3339_option<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<DateTime<Utc>>, D::Error> {
    Option::<String>::deserialize(deserializer)?
        .map(|text| parse::<D::Error>(&text))
        .transpose()
}

fn parse<E: Error>(text: &str) -> Result<DateTime<Utc>, E> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| E::custom(format_args!("{e}: {text:?} is not an RFC 3339 time")))
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Times {
        #[serde(deserialize_with = "super::rfc3339")]
        at: chrono::DateTime<Utc>,
        #[serde(default, deserialize_with = "super::rfc3339_option")]
        until: Option<chrono::DateTime<Utc>>,
    }

    #[test]
    fn what_chrono_writes_is_read_back() {
        let at = Utc.with_ymd_and_hms(2026, 11, 27, 9, 30, 5).unwrap()
            + chrono::Duration::nanoseconds(123_456_789);
        for times in [
            Times {
                at,
                until: Some(at),
            },
            Times { at, until: None },
        ] {
            let json = serde_json::to_string(&times).unwrap();
            assert_eq!(
                serde_json::from_str::<Times>(&json).unwrap(),
                times,
                "{json}"
            );
        }
        let offset: Times = serde_json::from_str(r#"{"at":"2026-11-27T12:30:05+03:00"}"#).unwrap();
        assert_eq!(
            offset.at,
            Utc.with_ymd_and_hms(2026, 11, 27, 9, 30, 5).unwrap()
        );
        assert_eq!(offset.until, None);
    }

    #[test]
    fn anything_else_is_refused_with_the_text() {
        for bad in [
            r#"{"at":"27.11.2026"}"#,
            r#"{"at":"2026-11-27"}"#,
            r#"{"at":"2026-11-27T09:30:05"}"#,
            r#"{"at":"2026-13-01T00:00:00Z"}"#,
            r#"{"at":"Fri, 27 Nov 2026 09:30:05 +0000"}"#,
            r#"{"at":17}"#,
            r#"{"at":"2026-11-27T09:30:05Z","until":"soon"}"#,
        ] {
            let error = serde_json::from_str::<Times>(bad).unwrap_err().to_string();
            assert!(!error.is_empty(), "{bad}");
        }
        let error = serde_json::from_str::<Times>(r#"{"at":"tomorrow"}"#)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("\"tomorrow\" is not an RFC 3339 time"),
            "{error}"
        );
    }
}

//! Voice and video messages (K4): the recorder's steps, the container a browser records
//! in (one the channels take: MP4, as `.m4a` for voice), the recording's file name, and the
//! playback speeds offered.

use crate::tr;
use chrono::{DateTime, Datelike, FixedOffset, Timelike, Utc};

/// What is recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Medium {
    Voice,
    Video,
}

/// Where the recorder is.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    Idle,
    /// Waiting for the browser's permission to use the microphone (and camera).
    Asking(Medium),
    /// Recording since `started_ms` (the page's clock).
    Recording {
        medium: Medium,
        started_ms: f64,
    },
    /// Done: a preview at `url` (an object URL), `seconds` long, not yet attached.
    Recorded {
        medium: Medium,
        url: String,
        seconds: u32,
    },
    /// The browser refused (no device, no permission): what to tell the agent.
    Failed(String),
}

/// The container and extension to record `medium` in, of those the browser supports
/// (`supported` answers `MediaRecorder.isTypeSupported`); `None` when it supports none the
/// channels take.
pub fn container(
    medium: Medium,
    supported: impl Fn(&str) -> bool,
) -> Option<(&'static str, &'static str)> {
    let candidates: &[(&str, &str)] = match medium {
        Medium::Voice => &[("audio/mp4", "m4a")],
        Medium::Video => &[("video/mp4", "mp4")],
    };
    candidates.iter().copied().find(|(mime, _)| supported(mime))
}

/// The recording's file name: what it is (in the language in use) and when, in the agent's
/// time ("voice-2026-11-26-040405.m4a").
pub fn file_name(
    medium: Medium,
    at: DateTime<Utc>,
    offset: FixedOffset,
    extension: &str,
) -> String {
    let t = at.with_timezone(&offset);
    let stamp = format!(
        "{:04}-{:02}-{:02}-{:02}{:02}{:02}",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    match medium {
        Medium::Voice => tr!(
            "composer-recording-file-voice",
            stamp = stamp,
            extension = extension
        ),
        Medium::Video => tr!(
            "composer-recording-file-video",
            stamp = stamp,
            extension = extension
        ),
    }
}

/// "0:07", "12:30".
pub fn duration_label(seconds: u32) -> String {
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// The playback speeds offered, and their labels.
pub const SPEEDS: [(f64, &str); 4] = [(1.0, "1×"), (1.25, "1.25×"), (1.5, "1.5×"), (2.0, "2×")];

/// Why a recording could not start, from the browser's error name.
pub fn refusal(error_name: &str, medium: Medium) -> String {
    let voice = medium == Medium::Voice;
    match error_name {
        "NotAllowedError" | "SecurityError" if voice => tr!("composer-refusal-denied-voice"),
        "NotAllowedError" | "SecurityError" => tr!("composer-refusal-denied-video"),
        "NotFoundError" | "OverconstrainedError" if voice => tr!("composer-refusal-missing-voice"),
        "NotFoundError" | "OverconstrainedError" => tr!("composer-refusal-missing-video"),
        "NotReadableError" if voice => tr!("composer-refusal-busy-voice"),
        "NotReadableError" => tr!("composer-refusal-busy-video"),
        _ if voice => tr!("composer-refusal-failed-voice"),
        _ => tr!("composer-refusal-failed-video"),
    }
}

/// What the recorder says while a recording of `medium` runs (also its label).
pub fn recording_label(medium: Medium) -> String {
    match medium {
        Medium::Voice => tr!("composer-recording-voice"),
        Medium::Video => tr!("composer-recording-video"),
    }
}

/// The finished recording's label, before it is attached.
pub fn recorded_label(medium: Medium) -> String {
    match medium {
        Medium::Voice => tr!("composer-recorded-voice"),
        Medium::Video => tr!("composer-recorded-video"),
    }
}

/// What the recorder asks for while the browser asks the agent.
pub fn asking_label(medium: Medium) -> String {
    match medium {
        Medium::Voice => tr!("composer-record-allow-microphone"),
        Medium::Video => tr!("composer-record-allow-camera"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn recordings_use_mp4_when_the_browser_can() {
        let chromium = |mime: &str| matches!(mime, "audio/mp4" | "video/mp4" | "audio/webm");
        assert_eq!(
            container(Medium::Voice, chromium),
            Some(("audio/mp4", "m4a"))
        );
        assert_eq!(
            container(Medium::Video, chromium),
            Some(("video/mp4", "mp4"))
        );
        // WebM alone is not a type every channel takes: nothing to record in.
        assert_eq!(container(Medium::Voice, |m| m == "audio/webm"), None);
    }

    #[test]
    fn names_say_what_and_when_in_the_agents_time() {
        let at = Utc.with_ymd_and_hms(2026, 11, 26, 3, 4, 5).unwrap();
        let berlin = FixedOffset::east_opt(3600).unwrap();
        assert_eq!(
            file_name(Medium::Voice, at, berlin, "m4a"),
            "voice-2026-11-26-040405.m4a"
        );
        assert_eq!(
            file_name(Medium::Video, at, berlin, "mp4"),
            "video-2026-11-26-040405.mp4"
        );
        // Every name passes the attachment rules.
        for name in ["voice-2026-11-26-040405.m4a", "video-2026-11-26-040405.mp4"] {
            assert!(
                switchboard_protocol::validation::attachment(name, 1000).is_ok(),
                "{name}"
            );
        }
    }

    #[test]
    fn durations_and_refusals_read_well() {
        assert_eq!(duration_label(7), "0:07");
        assert_eq!(duration_label(750), "12:30");
        assert_eq!(
            refusal("NotAllowedError", Medium::Voice),
            "Switchboard may not use the microphone: allow it in the browser's site settings."
        );
        assert_eq!(
            refusal("NotFoundError", Medium::Video),
            "No camera and microphone was found."
        );
        assert_eq!(
            refusal("AbortError", Medium::Video),
            "The video message could not be recorded."
        );
    }

    #[test]
    fn russian_names_and_refusals_use_russian_words() {
        use crate::i18n::{Lang, set_lang};
        let at = Utc.with_ymd_and_hms(2026, 3, 12, 14, 5, 0).unwrap();
        let utc = FixedOffset::east_opt(0).unwrap();
        set_lang(Lang::Ru);
        let voice = file_name(Medium::Voice, at, utc, "m4a");
        let video = file_name(Medium::Video, at, utc, "mp4");
        let refused = refusal("NotReadableError", Medium::Video);
        set_lang(Lang::En);
        assert_eq!(voice, "голосовое-2026-03-12-140500.m4a");
        assert_eq!(video, "видео-2026-03-12-140500.mp4");
        assert_eq!(refused, "Камера и микрофон заняты другим приложением.");
        for name in [voice, video] {
            assert!(
                switchboard_protocol::validation::attachment(&name, 1000).is_ok(),
                "{name}"
            );
        }
    }
}

//! Voice and video messages (K4): the recorder's steps, the container a browser records
//! in (one the channels take: MP4, as `.m4a` for voice), the recording's file name, and the
//! playback speeds offered.

use chrono::{DateTime, FixedOffset, Utc};

/// What is recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Medium {
    Voice,
    Video,
}

impl Medium {
    pub fn noun(self) -> &'static str {
        match self {
            Medium::Voice => "voice message",
            Medium::Video => "video message",
        }
    }
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

/// The recording's file name: what it is and when, in the agent's time.
pub fn file_name(
    medium: Medium,
    at: DateTime<Utc>,
    offset: FixedOffset,
    extension: &str,
) -> String {
    let stem = match medium {
        Medium::Voice => "voice",
        Medium::Video => "video",
    };
    format!(
        "{stem}-{}.{extension}",
        at.with_timezone(&offset).format("%Y-%m-%d-%H%M%S")
    )
}

/// "0:07", "12:30".
pub fn duration_label(seconds: u32) -> String {
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// The playback speeds offered, and their labels.
pub const SPEEDS: [(f64, &str); 4] = [(1.0, "1×"), (1.25, "1.25×"), (1.5, "1.5×"), (2.0, "2×")];

/// Why a recording could not start, from the browser's error name.
pub fn refusal(error_name: &str, medium: Medium) -> String {
    match error_name {
        "NotAllowedError" | "SecurityError" => format!(
            "Switchboard may not use the {}: allow it in the browser's site settings.",
            device(medium)
        ),
        "NotFoundError" | "OverconstrainedError" => format!("No {} was found.", device(medium)),
        "NotReadableError" => format!("The {} is busy in another app.", device(medium)),
        _ => format!("The {} could not be recorded.", medium.noun()),
    }
}

fn device(medium: Medium) -> &'static str {
    match medium {
        Medium::Voice => "microphone",
        Medium::Video => "camera and microphone",
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
}

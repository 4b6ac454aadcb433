//! Text the AI writes into a composer (K10): it arrives in parts after what the agent had
//! typed; a failure or a stop gives the agent back exactly what they had, so nothing is
//! lost and nothing half-written is left as if it were whole.

use switchboard_protocol::ai::AiChunk;

/// What the composer shows after a chunk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Still writing: the draft as it reads now.
    Writing(String),
    /// Finished: the draft to edit and post.
    Done(String),
    /// Stopped with this reason; the draft is what the agent had before.
    Failed { reason: String, draft: String },
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Writing {
    before: String,
    written: String,
}

impl Writing {
    /// Starts after the agent's own text (kept, with a blank line before the AI's).
    pub fn after(draft: &str) -> Writing {
        Writing {
            before: draft.trim_end().to_owned(),
            written: String::new(),
        }
    }

    /// The draft as it reads now.
    pub fn draft(&self) -> String {
        let written = self.written.trim_start();
        match (self.before.is_empty(), written.is_empty()) {
            (true, _) => written.to_owned(),
            (false, true) => self.before.clone(),
            (false, false) => format!("{}\n\n{written}", self.before),
        }
    }

    pub fn apply(&mut self, chunk: AiChunk) -> Step {
        match chunk {
            AiChunk::Text { text } => {
                self.written.push_str(&text);
                Step::Writing(self.draft())
            }
            AiChunk::Done if self.written.trim().is_empty() => {
                self.stopped(crate::tr!("composer-ai-empty"))
            }
            AiChunk::Done => Step::Done(self.draft().trim_end().to_owned()),
            AiChunk::Failed { message } => self.stopped(message),
        }
    }

    /// Stopped (by the agent or a failure): back to the agent's own text.
    pub fn stopped(&self, reason: String) -> Step {
        Step::Failed {
            reason,
            draft: self.before.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> AiChunk {
        AiChunk::Text { text: t.into() }
    }

    #[test]
    fn parts_follow_the_agents_text_and_finish_as_one_draft() {
        let mut writing = Writing::after("Summary for Boris:  \n");
        assert_eq!(
            writing.apply(text("The parcel ")),
            Step::Writing("Summary for Boris:\n\nThe parcel ".into())
        );
        writing.apply(text("is rerouted.\n"));
        assert_eq!(
            writing.apply(AiChunk::Done),
            Step::Done("Summary for Boris:\n\nThe parcel is rerouted.".into())
        );
        let mut fresh = Writing::after("");
        fresh.apply(text("  Olivia wants a bag."));
        assert_eq!(fresh.draft(), "Olivia wants a bag.");
    }

    #[test]
    fn a_failure_gives_back_what_the_agent_had() {
        let mut writing = Writing::after("my note");
        writing.apply(text("Half a sen"));
        assert_eq!(
            writing.apply(AiChunk::Failed {
                message: "The AI provider did not answer.".into()
            }),
            Step::Failed {
                reason: "The AI provider did not answer.".into(),
                draft: "my note".into()
            }
        );
        // An answer without words is no summary.
        let mut empty = Writing::after("");
        assert!(
            matches!(empty.apply(AiChunk::Done), Step::Failed { draft, .. } if draft.is_empty())
        );
    }
}

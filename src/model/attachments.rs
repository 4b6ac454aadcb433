//! Files attached in the composer (K3): checked against the rules the server applies before
//! anything is uploaded, then uploading, ready or failed each; a send waits for all of them.

use crate::tr;
use switchboard_protocol::Attachment;
use switchboard_protocol::validation::{
    self, ATTACHMENT_TYPES, AttachmentError, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS,
    MAX_FILE_NAME_CHARS,
};

#[derive(Clone, Debug, PartialEq)]
pub enum FileState {
    Uploading,
    Ready(Attachment),
    /// The server refused it or could not be reached; the reason is shown.
    Failed(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct PendingFile {
    pub key: u32,
    pub name: String,
    pub size: u64,
    pub state: FileState,
}

/// Why the files cannot go with a send yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotReady {
    Uploading,
    Failed,
}

impl std::fmt::Display for NotReady {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&match self {
            NotReady::Uploading => tr!("composer-files-wait"),
            NotReady::Failed => tr!("composer-files-failed"),
        })
    }
}

/// Megabytes as the rules count them.
const MB: u64 = 1024 * 1024;

/// A size in megabytes with one decimal ("25.0"; "25,0" in Russian).
fn megabytes(bytes: u64) -> String {
    let text = format!("{:.1}", bytes as f64 / MB as f64);
    if crate::i18n::lang() == crate::i18n::Lang::Ru {
        text.replace('.', ",")
    } else {
        text
    }
}

/// Every refusal of a choice, one after another (`None` when nothing was refused).
pub fn refusals(refused: &[AttachmentError]) -> Option<String> {
    (!refused.is_empty()).then(|| refused.iter().map(refusal).collect::<Vec<_>>().join(" "))
}

/// Why a file was refused, naming the file and the rule, in the language in use.
pub fn refusal(error: &AttachmentError) -> String {
    match error {
        AttachmentError::Type { name } => {
            let types = ATTACHMENT_TYPES
                .iter()
                .map(|(ext, _)| ext.to_ascii_uppercase())
                .collect::<Vec<_>>()
                .join(", ");
            tr!("composer-file-type", name = name, types = types)
        }
        AttachmentError::TooBig { name, size } => tr!(
            "composer-file-too-big",
            name = name,
            size = megabytes(*size),
            limit = MAX_ATTACHMENT_BYTES / MB
        ),
        AttachmentError::Empty { name } => tr!("composer-file-empty", name = name),
        AttachmentError::Name { name } => {
            tr!(
                "composer-file-bad-name",
                name = name,
                limit = MAX_FILE_NAME_CHARS
            )
        }
        AttachmentError::TooMany { count } => {
            tr!(
                "composer-file-too-many",
                max = MAX_ATTACHMENTS,
                count = *count
            )
        }
    }
}

/// The paperclip's hint: how many files and how large.
pub fn attach_hint() -> String {
    tr!(
        "composer-attach-title",
        max = MAX_ATTACHMENTS,
        size = MAX_ATTACHMENT_BYTES / MB
    )
}

/// The composer's files, in the order chosen.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PendingFiles {
    files: Vec<PendingFile>,
    next: u32,
}

impl PendingFiles {
    /// Takes the files chosen (name and size); those passing the rules start uploading. Returns
    /// each accepted file's key with its index in `chosen`, and the refusals. Going over the
    /// count limit refuses the whole choice, so nothing is silently left out.
    pub fn add(&mut self, chosen: &[(String, u64)]) -> (Vec<(u32, usize)>, Vec<AttachmentError>) {
        if let Err(too_many) = validation::attachment_count(self.files.len() + chosen.len()) {
            return (Vec::new(), vec![too_many]);
        }
        let mut accepted = Vec::new();
        let mut refused = Vec::new();
        for (i, (name, size)) in chosen.iter().enumerate() {
            match validation::attachment(name, *size) {
                Ok(_) => {
                    let key = self.next;
                    self.next += 1;
                    self.files.push(PendingFile {
                        key,
                        name: name.clone(),
                        size: *size,
                        state: FileState::Uploading,
                    });
                    accepted.push((key, i));
                }
                Err(error) => refused.push(error),
            }
        }
        (accepted, refused)
    }

    /// Takes files already stored (a snippet's, T3) as ready, after the ones chosen; refused
    /// whole when they would go over the count limit.
    pub fn add_stored(&mut self, stored: &[Attachment]) -> Result<(), AttachmentError> {
        validation::attachment_count(self.files.len() + stored.len())?;
        for attachment in stored {
            let key = self.next;
            self.next += 1;
            self.files.push(PendingFile {
                key,
                name: attachment.name.clone(),
                size: attachment.size,
                state: FileState::Ready(attachment.clone()),
            });
        }
        Ok(())
    }

    pub fn uploaded(&mut self, key: u32, attachment: Attachment) {
        self.set(key, FileState::Ready(attachment));
    }

    pub fn failed(&mut self, key: u32, reason: String) {
        self.set(key, FileState::Failed(reason));
    }

    fn set(&mut self, key: u32, state: FileState) {
        if let Some(file) = self.files.iter_mut().find(|f| f.key == key) {
            file.state = state;
        }
    }

    pub fn remove(&mut self, key: u32) {
        self.files.retain(|f| f.key != key);
    }

    pub fn files(&self) -> &[PendingFile] {
        &self.files
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The uploaded files, in order, once every one is ready.
    pub fn ready(&self) -> Result<Vec<Attachment>, NotReady> {
        let mut ready = Vec::with_capacity(self.files.len());
        for file in &self.files {
            match &file.state {
                FileState::Ready(attachment) => ready.push(attachment.clone()),
                FileState::Uploading => return Err(NotReady::Uploading),
                FileState::Failed(_) => return Err(NotReady::Failed),
            }
        }
        Ok(ready)
    }

    pub fn clear(&mut self) {
        self.files.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_protocol::AttachmentId;

    fn chosen(names: &[(&str, u64)]) -> Vec<(String, u64)> {
        names.iter().map(|(n, s)| ((*n).to_owned(), *s)).collect()
    }

    fn stored(id: i64, name: &str) -> Attachment {
        Attachment {
            id: AttachmentId(id),
            name: name.into(),
            content_type: "application/pdf".into(),
            size: 10,
            url: format!("/api/v1/workspaces/1/attachments/{id}"),
        }
    }

    #[test]
    fn files_are_checked_before_upload_and_each_refusal_names_its_file() {
        let mut files = PendingFiles::default();
        let (accepted, refused) = files.add(&chosen(&[
            ("invoice.pdf", 2_000),
            ("setup.exe", 2_000),
            ("film.mp4", 25 * 1024 * 1024),
            ("photo.png", 300),
        ]));
        assert_eq!(accepted, vec![(0, 0), (1, 3)]);
        let messages: Vec<String> = refused.iter().map(refusal).collect();
        assert!(
            messages[0].starts_with("\"setup.exe\" cannot be sent"),
            "{messages:?}"
        );
        assert_eq!(
            messages[1],
            "\"film.mp4\" is 25.0 MB; a file may be at most 20 MB."
        );
        assert_eq!(files.files().len(), 2);
        assert_eq!(files.ready(), Err(NotReady::Uploading));
        files.uploaded(0, stored(7, "invoice.pdf"));
        files.failed(1, "The server refused it.".into());
        assert_eq!(files.ready(), Err(NotReady::Failed));
        files.remove(1);
        assert_eq!(files.ready(), Ok(vec![stored(7, "invoice.pdf")]));
        files.clear();
        assert!(files.is_empty());
        assert_eq!(files.ready(), Ok(vec![]));
    }

    #[test]
    fn stored_files_join_ready_within_the_count_limit() {
        let mut files = PendingFiles::default();
        files.add(&chosen(&[("typed.pdf", 10)]));
        files
            .add_stored(&[stored(3, "brochure.pdf"), stored(4, "beans.png")])
            .expect("room for two");
        let names: Vec<&str> = files.files().iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["typed.pdf", "brochure.pdf", "beans.png"]);
        assert_eq!(
            files.files()[1].state,
            FileState::Ready(stored(3, "brochure.pdf"))
        );
        let many: Vec<Attachment> = (0..MAX_ATTACHMENTS as i64 - 2)
            .map(|i| stored(100 + i, "scan.pdf"))
            .collect();
        assert!(files.add_stored(&many).is_err());
        assert_eq!(files.files().len(), 3, "nothing was added");
    }

    #[test]
    fn a_choice_over_the_count_limit_adds_nothing() {
        let mut files = PendingFiles::default();
        let many: Vec<(String, u64)> = (0..MAX_ATTACHMENTS - 1)
            .map(|i| (format!("scan-{i}.pdf"), 10))
            .collect();
        assert_eq!(files.add(&many).0.len(), MAX_ATTACHMENTS - 1);
        let (accepted, refused) = files.add(&chosen(&[("a.pdf", 10), ("b.pdf", 10)]));
        assert!(accepted.is_empty());
        assert_eq!(
            refusal(&refused[0]),
            "A message may carry at most 50 files; this one would have 51."
        );
        assert_eq!(
            files.files().len(),
            MAX_ATTACHMENTS - 1,
            "nothing was added"
        );
        let (accepted, _) = files.add(&chosen(&[("last.pdf", MAX_ATTACHMENT_BYTES)]));
        assert_eq!(accepted.len(), 1, "the fiftieth still fits");
    }

    #[test]
    fn refusals_read_in_russian_with_plural_counts() {
        use crate::i18n::{Lang, set_lang};
        set_lang(Lang::Ru);
        let too_many = refusal(&AttachmentError::TooMany { count: 52 });
        let too_big = refusal(&AttachmentError::TooBig {
            name: "film.mp4".into(),
            size: 25 * MB + MB / 2,
        });
        let name = refusal(&AttachmentError::Name { name: "a/b".into() });
        let hint = attach_hint();
        set_lang(Lang::En);
        assert_eq!(
            too_many,
            "К сообщению можно прикрепить не больше 50 файлов, а здесь 52 файла."
        );
        assert_eq!(
            too_big,
            "«film.mp4» весит 25,5 МБ, а файл может быть не больше 20 МБ."
        );
        assert_eq!(
            name,
            "«a/b» не подходит как имя файла (не больше 200 символов, без папок)."
        );
        assert_eq!(hint, "Прикрепить файлы (до 50, каждый до 20 МБ)");
        assert_eq!(attach_hint(), "Attach files (up to 50, 20 MB each)");
    }
}

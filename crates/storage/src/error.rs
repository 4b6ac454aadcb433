//! `StoreError`: the one error type of the storage layer.

/// What a storage call can fail with. Backends map their driver errors into this.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row does not exist, or not in the named workspace.
    #[error("not found")]
    NotFound,
    /// A uniqueness or reference rule was broken; `constraint` names it.
    #[error("conflict on {constraint}")]
    Conflict { constraint: String },
    /// A value of the request refers to something that does not fit (a reply to a message
    /// of another conversation, a mention of a non-member); `field` names the part.
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    /// The change is not allowed in the current state (closing a closed conversation).
    #[error("{0}")]
    Refused(String),
    /// A stored value could not be read back (corrupt or from a newer version).
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    /// The database failed (connection, I/O, …).
    #[error("database error: {0}")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
}

pub type StoreResult<T> = Result<T, StoreError>;

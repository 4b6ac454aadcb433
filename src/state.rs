//! App-wide contexts: each a named type with `provide_*` and `use_*`.

pub mod session;

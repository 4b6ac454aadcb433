//! Domain-free building blocks.

pub mod avatar;
pub mod confirm;
pub mod gestures;
pub mod icons;
pub mod perf;

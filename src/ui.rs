//! Domain-free building blocks.

pub mod avatar;
pub mod gestures;
pub mod icons;
pub mod perf;

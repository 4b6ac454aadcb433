//! Domain-free building blocks.

pub mod avatar;
pub mod icons;

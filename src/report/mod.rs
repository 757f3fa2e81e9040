//! Rendering diagnostics and findings. One renderer per output format.

pub mod human;

//! The quarterly workflow beside the pipeline: approved [`exceptions`] and the changes since a
//! [`baseline`] run. It annotates the checks' results ([`Annotated`]); the checks never see it.

pub mod annotated;
pub mod baseline;
pub mod baseline_run;
pub mod exceptions;

pub use annotated::{Annotated, AnnotatedRecord, annotate};

//! The pipeline's stages, in the order data flows through them: [`discover`] walks the inputs
//! (opening [`archive`]s), [`scan`] hashes and classifies each file and finds its account,
//! [`plan`] groups files into accounts, [`load`] parses one account into the typed model, and
//! [`pipeline`] runs them with the checks and the writers, on workers that also write in
//! account order ([`in_order`]), with [`progress`] shown on stderr ([`left_out`] names what
//! `--keep-going` left out).

pub mod archive;
pub mod discover;
pub mod in_order;
pub mod left_out;
pub mod load;
pub mod pipeline;
pub mod plan;
pub mod progress;
pub mod scan;

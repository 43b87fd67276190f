//! The map's server side, one concern per file: the snapshot cache at the bottom, the public
//! queries and the network computations (layout, Lagebild) over it, then editing, import and
//! export.

pub mod cache;
pub mod edit;
pub mod export;
pub mod import;
pub mod network;
pub mod proposals;
pub mod read;
pub mod terms;

//! Data that is not anyone's: the demo region that `tandem seed` loads, and the synthetic
//! regions and rooms of load tests and benchmarks.

pub mod seed;
pub mod synthetic;
pub mod synthetic_event;

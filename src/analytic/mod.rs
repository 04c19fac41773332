//! Closed-form queueing results ([`queueing`]): exact formulas used as test oracles and by the
//! instant estimate of a variant (`crate::estimate`). Pure functions of their parameters.

pub mod queueing;

pub use queueing::{
    erlang_b, erlang_c, jackson, md1, mg1, mg1_ps, mgc_approx, mginf, mm1, mmc, mmck, mva,
    FiniteQueueMetrics, JacksonNode, JacksonResult, MvaResult, QueueError, QueueMetrics,
};

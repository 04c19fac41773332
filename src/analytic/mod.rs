//! Closed-form queueing results: exact formulas ([`queueing`]) used as test oracles, and the
//! instant analytic estimate of a scenario variant ([`mod@estimate`]) shown while editing and by
//! `archsim validate`.

pub mod estimate;
pub mod queueing;

pub use estimate::{
    cache_hit_ratio, estimate, expected_visits, EntryEstimate, NodeEstimate, NodeKind,
    VariantEstimate,
};
pub use queueing::{
    erlang_b, erlang_c, jackson, md1, mg1, mg1_ps, mgc_approx, mginf, mm1, mmc, mmck, mva,
    FiniteQueueMetrics, JacksonNode, JacksonResult, MvaResult, QueueError, QueueMetrics,
};

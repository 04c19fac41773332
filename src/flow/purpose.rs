//! Stream purposes (see [`crate::kernel::StreamSeeder::stream`]). Streams are keyed by logical
//! names (entry, operation) so that every variant of a scenario sees the same draws: common
//! random numbers.
/// Declares the purposes and the list of all of them, so that a test can check that no two
/// share a number (two purposes with one number would draw correlated streams).
macro_rules! purposes {
    ($($(#[$doc:meta])* $name:ident = $value:expr;)*) => {
        $($(#[$doc])* pub const $name: u64 = $value;)*
        /// Every purpose with its name.
        #[cfg(test)]
        pub const ALL: &[(&str, u64)] = &[$((stringify!($name), $value)),*];
    };
}

purposes! {
    /// Arrivals, per entry.
    ARRIVAL = 1;
    /// Service demands, per operation.
    DEMAND = 2;
    /// Probability draws of calls, per calling operation.
    BRANCH = 3;
    /// Network latency.
    NETWORK = 4;
    /// Load-balancing choices, per node.
    ROUTING = 5;
    /// Gateway overhead.
    GATEWAY = 6;
    /// Sampling of latencies within a series window.
    WINDOW = 7;
    /// Modelled operation errors, per operation.
    ERROR = 8;
    /// Publish latency, per queue.
    PUBLISH = 9;
    /// Cold-start delays, keyed by function (serverless unit) index.
    COLD_START = 10;
    /// Draws of uncertain scenario parameters (`scenario::uncertain`), keyed by parameter path.
    UNCERTAIN = 11;
    /// Fault draws (random failures and repairs, error and latency faults), per fault.
    FAULT = 12;
    /// Retry backoff jitter, per call edge with policies.
    RETRY = 13;
    /// Client retry backoff jitter, per entry.
    CLIENT_RETRY = 14;
    /// Cache hit draws and TTL-cache keys, per cache (`Model::caches`).
    CACHE = 15;
    /// Cross-zone extra latency draws (one stream per replication).
    CROSS_ZONE = 16;
    /// Start-up times of autoscaled instances, per autoscaled unit.
    AUTOSCALE = 17;
    /// Client ↔ data-centre latency draws (one stream per replication).
    CLIENT_HAUL = 18;
    /// Commit and prepare latency draws of transactions (one stream per replication).
    TX = 19;
    /// Choices, waits and map item counts of workflow executions, per workflow.
    WORKFLOW = 24;
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_purpose_has_its_own_number() {
        let mut seen = std::collections::BTreeMap::new();
        for &(name, value) in super::ALL {
            if let Some(other) = seen.insert(value, name) {
                panic!("stream purposes {other} and {name} share the number {value}");
            }
        }
        assert!(seen.len() >= 14);
    }
}

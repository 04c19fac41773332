//! Right-sizing knobs: a setting that the right-sizing search may change, described by what
//! owns it. A component whose settings are knobs describes them in its `knobs.rs` (the
//! serverless function: memory, provisioned and reserved concurrency) with its rules for the
//! search's analytic start; the search (`crate::plan::rightsize`) walks the values of each
//! [`KnobDef`] and writes the one it tries at the knob's key of the scenario.

/// How a knob's value is written in the scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KnobUnit {
    /// A plain number (replicas, cores, instances).
    Count,
    /// A size in megabytes (10⁶ bytes), written `"NMB"`.
    Megabytes,
}

/// The values a knob walks, ascending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ladder {
    /// `from`, `from + 1`, …, up to the largest value the search allows.
    Count {
        /// The first value.
        from: u32,
    },
    /// These values (ascending); only those up to the largest value the search allows when
    /// `capped` (at least the first).
    Fixed {
        /// The values.
        values: &'static [u32],
        /// Whether the search's largest value caps them.
        capped: bool,
    },
}

impl Ladder {
    /// The values, with `max` the largest value the search allows.
    ///
    /// # Complexity
    /// O(values).
    pub fn values(&self, max: u32) -> Vec<u32> {
        match *self {
            Ladder::Count { from } => (from..=max).collect(),
            Ladder::Fixed {
                values,
                capped: false,
            } => values.to_vec(),
            Ladder::Fixed {
                values,
                capped: true,
            } => {
                let v: Vec<u32> = values.iter().copied().filter(|&x| x <= max).collect();
                if v.is_empty() {
                    values.iter().take(1).copied().collect()
                } else {
                    v
                }
            }
        }
    }
}

/// A setting right-sizing can search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnobDef {
    /// Its name in `--search`.
    pub search_name: &'static str,
    /// Its name in `plan.csv` and the JSON.
    pub name: &'static str,
    /// Its label in the plan table.
    pub label: &'static str,
    /// The key it is written at, under its unit or database (`replicas`, `memory`, …).
    pub key: &'static str,
    /// How its value is written.
    pub unit: KnobUnit,
    /// The values it walks.
    pub ladder: Ladder,
    /// Its value when the scenario does not write it (`None`: unset means "no limit").
    pub default: Option<u32>,
    /// A step trades cores against cores (a replica, a core per instance, a database core):
    /// of two such knobs, only the pair of steps adding the fewer cores can be cheaper.
    pub cores_priced: bool,
    /// A step *up* can lower the bill, so the descent tries it too (more memory makes a
    /// function and its waiting callers faster; a busy provisioned instance bills less than
    /// an on-demand one).
    pub up_may_save: bool,
}

/// The index of the smallest value of `ladder` with `ok`, else the last index.
///
/// # Complexity
/// O(values).
pub fn first_index(ladder: &[u32], ok: impl Fn(u32) -> bool) -> usize {
    ladder
        .iter()
        .position(|&x| ok(x))
        .unwrap_or(ladder.len().saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ladders_walk_their_values() {
        assert_eq!(Ladder::Count { from: 1 }.values(3), [1, 2, 3]);
        assert_eq!(Ladder::Count { from: 0 }.values(2), [0, 1, 2]);
        let capped = Ladder::Fixed {
            values: &[2, 4, 8],
            capped: true,
        };
        assert_eq!(capped.values(5), [2, 4]);
        assert_eq!(capped.values(1), [2]);
        let open = Ladder::Fixed {
            values: &[2, 4, 8],
            capped: false,
        };
        assert_eq!(open.values(1), [2, 4, 8]);
        assert_eq!(first_index(&[1, 2, 3], |x| x >= 2), 1);
        assert_eq!(first_index(&[1, 2, 3], |x| x > 9), 2);
    }
}

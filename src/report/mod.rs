//! Results as data (the versioned JSON document), CSV files and terminal tables.

mod csv;
mod resilience;
mod results;
mod table;

pub use self::csv::write_csv;
pub use resilience::*;
pub use results::*;
pub use table::{comparison_table, fmt_secs, render_text};

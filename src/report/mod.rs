//! Results as data (the versioned JSON document), CSV files and terminal tables.

mod csv;
mod html;
mod results;
mod table;

pub use self::csv::write_csv;
pub use html::{render_html, REPORT_JS};
pub use results::*;
pub use table::{comparison_table, fmt_secs, render_text};

//! The results document rendered for people and other tools: terminal tables, CSV files and the
//! self-contained HTML report.

pub mod anatomy;
pub mod atomic;
mod csv;
mod flows;
mod fmt;
mod html;
mod org_table;
pub mod plan;
mod resilience;
mod table;
mod workflows;

mod extra_text;
pub use self::csv::write_csv;
pub use flows::render_flows;
pub use fmt::fmt_secs;
pub use html::{render_html, render_plan_html, REPORT_JS};
pub use org_table::{conway_table, delivery_table, evolution_table, render_org};
pub use resilience::render_resilience;
pub use table::{comparison_table, render_text};
pub use workflows::render_workflows;

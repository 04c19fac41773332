//! Typed errors of discovery and calibration.

use std::path::PathBuf;

/// What went wrong reading traces, a utilization file or a deployment manifest (bad input:
/// exit status 2 at the command line).
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A syntax or type error at a position of a file.
    #[error("{file}:{line}:{column}: {msg}")]
    At {
        /// The file.
        file: String,
        /// Line, from 1.
        line: usize,
        /// Column, from 1 (0 when only the line is known).
        column: usize,
        /// What is wrong and what was expected.
        msg: String,
    },
    /// A file whose format is not recognized or that holds nothing usable.
    #[error("{file}: {msg}")]
    Format {
        /// The file.
        file: String,
        /// What is wrong and what was expected.
        msg: String,
    },
    /// An option with a bad value.
    #[error("{0}")]
    Option(String),
    /// The traces hold no operation a model can be built from.
    #[error("no model can be built: {0}")]
    Empty(String),
}

impl DiscoverError {
    /// From a serde_json error at a position of `file`.
    pub(crate) fn json(file: &str, e: &serde_json::Error) -> DiscoverError {
        let msg = e.to_string();
        // serde_json appends " at line L column C"; the position is given separately.
        let msg = match msg.rfind(" at line ") {
            Some(i) => msg[..i].to_string(),
            None => msg,
        };
        DiscoverError::At {
            file: file.to_string(),
            line: e.line(),
            column: e.column(),
            msg,
        }
    }
}

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
    /// The model given to calibration is not a valid scenario.
    #[error("{file}: the model is not a valid scenario:\n{msg}")]
    Model {
        /// The model file.
        file: String,
        /// The scenario's diagnostics.
        msg: String,
    },
    /// The traces show operations the model does not have.
    #[error("the traces name {what} absent from the model {file}: {names}; calibrate the model discovered from these traces (`archsim discover`), or name its modules and operations as discovery does (docs/discover.md)")]
    Absent {
        /// The model file.
        file: String,
        /// "2 operation(s)".
        what: String,
        /// The names, comma-separated.
        names: String,
    },
    /// The model could not be simulated at the observed load.
    #[error("simulating the model at the observed load failed: {0}")]
    Run(String),
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

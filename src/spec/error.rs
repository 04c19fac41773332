//! Errors of the scenario loader: I/O failures and located diagnostics.
//!
//! Every problem found in a scenario file becomes a [`Diagnostic`] carrying the file name, the
//! 1-based line and column of the offending TOML text, the dotted path of the field
//! (`modules.orders.ops.checkout.calls[0].op`), a message saying what is wrong and what is
//! expected, and an optional `help` hint ("did you mean …").

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;

/// Why a scenario could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScenarioError {
    /// The file could not be read. Check the path and its permissions.
    #[error("cannot read scenario file {}: {source}", path.display())]
    Io {
        /// The path that was opened.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The file was read but is not a valid scenario. Fix every listed diagnostic; each names
    /// the file, line, column and field.
    #[error("{0}")]
    Invalid(Diagnostics),
}

impl ScenarioError {
    /// The diagnostics, if this is an [`ScenarioError::Invalid`] error.
    pub fn diagnostics(&self) -> Option<&Diagnostics> {
        match self {
            ScenarioError::Invalid(d) => Some(d),
            _ => None,
        }
    }
}

/// One located problem in a scenario file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file name as given to [`crate::scenario::parse`] or the path given to
    /// [`crate::scenario::load`].
    pub file: String,
    /// 1-based line of the offending text.
    pub line: usize,
    /// 1-based column (in characters) of the offending text.
    pub column: usize,
    /// Dotted path of the field, e.g. `modules.orders.ops.checkout.calls[0].op`; empty for the
    /// whole file.
    pub field: String,
    /// What is wrong and what is expected.
    pub message: String,
    /// A hint for the fix, e.g. "did you mean `orders.checkout`?".
    pub help: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: error: ", self.file, self.line, self.column)?;
        if !self.field.is_empty() {
            write!(f, "{}: ", self.field)?;
        }
        write!(f, "{}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n    help: {}", help.replace('\n', "\n          "))?;
        }
        Ok(())
    }
}

/// A non-empty list of diagnostics, in the order of their position in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// The diagnostics, in file order.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }

    /// Number of diagnostics.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none (never true for the contents of [`ScenarioError::Invalid`]).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        if self.0.len() > 1 {
            write!(f, "\n{} errors", self.0.len())?;
        }
        Ok(())
    }
}

/// Collects diagnostics while a scenario is checked; turns byte spans into line and column.
pub(crate) struct Sink<'a> {
    text: &'a str,
    file: &'a str,
    /// Byte offsets at which each line starts.
    line_starts: Vec<usize>,
    items: Vec<(usize, Diagnostic)>,
}

impl<'a> Sink<'a> {
    pub(crate) fn new(text: &'a str, file: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Sink {
            text,
            file,
            line_starts,
            items: Vec::new(),
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub(crate) fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line + 1, column + 1)
    }

    /// Records an error at `span` for `field`.
    pub(crate) fn error(
        &mut self,
        span: Range<usize>,
        field: impl Into<String>,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        let (line, column) = self.line_col(span.start);
        self.items.push((
            span.start,
            Diagnostic {
                file: self.file.to_string(),
                line,
                column,
                field: field.into(),
                message: message.into(),
                help,
            },
        ));
    }

    /// The file name diagnostics carry.
    pub(crate) fn file(&self) -> &str {
        self.file
    }

    /// Records an error located in another file (a trace the scenario refers to) at its
    /// 1-based `line`, sorted as if it were at byte `order` of the scenario.
    pub(crate) fn error_in_file(
        &mut self,
        order: usize,
        file: String,
        line: usize,
        field: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.items.push((
            order,
            Diagnostic {
                file,
                line,
                column: 1,
                field: field.into(),
                message: message.into(),
                help: None,
            },
        ));
    }

    pub(crate) fn has_errors(&self) -> bool {
        !self.items.is_empty()
    }

    /// The diagnostics sorted by position (stable: equal positions keep their order).
    pub(crate) fn finish(mut self) -> Diagnostics {
        self.items.sort_by_key(|(pos, _)| *pos);
        let mut out: Vec<Diagnostic> = Vec::with_capacity(self.items.len());
        for (_, d) in self.items {
            if !out.contains(&d) {
                out.push(d);
            }
        }
        Diagnostics(out)
    }
}

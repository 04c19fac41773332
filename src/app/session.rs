//! One run at a time, and its cancel flag: the desktop app keeps a [`RunSlot`] in its state,
//! the CLI one per process (raised by Ctrl-C).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::error::{AppError, AppResult};

/// Where a run, sweep or capacity search takes place: at most one at a time, cancelled
/// through a flag. Clones share the same flags.
#[derive(Debug, Default, Clone)]
pub struct RunSlot {
    cancel: Arc<AtomicBool>,
    running: Arc<AtomicBool>,
}

impl RunSlot {
    /// Marks a request as in progress and lowers the cancel flag; the claim frees the slot
    /// when dropped, however the request ends.
    ///
    /// # Errors
    /// [`AppError::Busy`] while another request holds the slot.
    pub fn claim(&self) -> AppResult<Claim> {
        if self.running.swap(true, Ordering::SeqCst) {
            return Err(AppError::Busy);
        }
        self.cancel.store(false, Ordering::SeqCst);
        Ok(Claim(self.running.clone()))
    }

    /// Asks the request in progress to stop (it returns what finished). Returns whether the
    /// flag was already raised.
    pub fn cancel(&self) -> bool {
        self.cancel.swap(true, Ordering::SeqCst)
    }

    /// The cancel flag, for the library's `RunOptions::cancel`.
    pub fn cancel_flag(&self) -> &AtomicBool {
        &self.cancel
    }

    /// Cancel was asked for (since the last claim).
    pub fn cancel_requested(&self) -> bool {
        self.cancel.load(Ordering::SeqCst)
    }

    /// A request holds the slot.
    pub fn is_running(&self) -> bool {
        self.running.load(Ordering::SeqCst)
    }
}

/// A request in progress; frees its [`RunSlot`] when dropped.
#[derive(Debug)]
pub struct Claim(Arc<AtomicBool>);

impl Drop for Claim {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::error::ErrorCode;

    #[test]
    fn one_request_at_a_time_and_cancel_is_lowered_by_the_next_claim() {
        let slot = RunSlot::default();
        let claim = slot.claim().expect("free");
        assert!(slot.is_running());
        assert_eq!(
            slot.clone().claim().expect_err("busy").code(),
            ErrorCode::Busy
        );
        assert!(!slot.cancel());
        assert!(slot.cancel());
        assert!(slot.cancel_requested());
        drop(claim);
        assert!(!slot.is_running());
        let _again = slot.claim().expect("free again");
        assert!(!slot.cancel_requested());
    }
}

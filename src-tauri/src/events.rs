//! Messages streamed to the front end over a `tauri::ipc::Channel` while a run is in progress:
//! the application layer's [`RunEvent`].

pub use archsim::app::events::RunEvent;

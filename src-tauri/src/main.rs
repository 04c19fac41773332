//! The archsim desktop app's entry point; everything else is in the library crate.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    archsim_app::run();
}

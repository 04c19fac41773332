//! CLI tests (assert_cmd).

//! Writing a file atomically: a temporary file in the same folder, flushed to disk, then
//! renamed over the target, so that a failed or interrupted write leaves the old file (or
//! none), never half of a new one.

use std::io::Write;
use std::path::Path;

/// Writes `contents` to `path` atomically (see the module documentation).
///
/// # Errors
/// The I/O error of creating, writing, flushing or renaming; the temporary file is removed.
pub fn write_atomic(path: &Path, contents: impl AsRef<[u8]>) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(contents.as_ref())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary() {
        let dir = std::env::temp_dir().join(format!("archsim-atomic-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let p = dir.join("out.json");
        write_atomic(&p, "old").expect("write");
        // A folder where the file should be: the rename fails, the folder stays.
        let blocked = dir.join("blocked");
        std::fs::create_dir_all(blocked.join("inside")).expect("dir");
        assert!(write_atomic(&blocked, "new").is_err());
        assert!(blocked.is_dir());
        write_atomic(&p, "new").expect("write");
        assert_eq!(std::fs::read_to_string(&p).expect("read"), "new");
        let left: Vec<_> = std::fs::read_dir(&dir)
            .expect("list")
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

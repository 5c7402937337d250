//! A small tmpfs the test mounts, for a data directory on a filesystem it
//! can fill (disk-full and disk-low tests). Root only.

use std::io::Write;
use std::path::Path;
use std::process::Command;

/// A tmpfs mounted on a temp directory, unmounted on drop (also on panic).
pub struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    /// Mounts a tmpfs of `size` (`mount -o size=`, e.g. "64m"); `None` when
    /// mounting is refused (not root, no mount namespace rights).
    pub fn mount(size: &str) -> Option<Self> {
        let dir = tempfile::tempdir().ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size},mode=0700"), "tmpfs"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(Self { dir })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        // Lazy: a child still holding a file must not leave the mount behind.
        let _ = Command::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}

/// Writes zeros to `path` until the filesystem is full or `max` bytes are
/// written; returns the bytes written.
pub fn fill(path: &Path, max: u64) -> u64 {
    let Ok(mut f) = std::fs::File::create(path) else { return 0 };
    let chunk = vec![0u8; 1 << 20];
    let mut written = 0;
    while written < max {
        let n = usize::try_from(max - written).unwrap_or(usize::MAX).min(chunk.len());
        match f.write(&chunk[..n]) {
            Ok(0) | Err(_) => break,
            Ok(n) => written += n as u64,
        }
    }
    let _ = f.sync_all();
    written
}

//! One process per data directory. Two PGlite instances on one cluster would
//! corrupt it, so the second process must be stopped before it touches a file.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::error::StoreError;

/// Holds an exclusive advisory lock on `<data_dir>/meridian.lock` for as long
/// as it lives. The OS drops the lock when the process dies, so a crash never
/// leaves a stale lock behind; the pid inside is only for the message.
/// At most 1 s (20 x 50 ms) of waiting for a lock this process released.
const OWN_LOCK_WAITS: u32 = 20;

#[derive(Debug)]
pub struct DataDirLock {
    _file: File,
    path: PathBuf,
}

impl DataDirLock {
    pub fn acquire(data_dir: &Path) -> Result<Self, StoreError> {
        let path = data_dir.join("meridian.lock");
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| StoreError::io(&path, e))?;
        let mut waited = 0;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(std::fs::TryLockError::WouldBlock) => {
                    let mut text = String::new();
                    // Best effort: the holder may be between truncate and write.
                    let _ = file.seek(SeekFrom::Start(0));
                    let _ = file.read_to_string(&mut text);
                    let pid = text.trim().parse().unwrap_or(0);
                    // Our own pid: a store this process just closed, whose
                    // descriptor a child forked meanwhile still holds until
                    // it execs (close-on-exec). Wait that out, briefly; any
                    // other holder is refused at once.
                    if pid == std::process::id() && waited < OWN_LOCK_WAITS {
                        waited += 1;
                        std::thread::sleep(std::time::Duration::from_millis(50));
                        continue;
                    }
                    return Err(StoreError::InUse { path: data_dir.to_path_buf(), pid });
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(StoreError::io(&path, e)),
            }
        }
        let write_pid = |f: &mut File| -> std::io::Result<()> {
            f.set_len(0)?;
            f.seek(SeekFrom::Start(0))?;
            write!(f, "{}", std::process::id())?;
            f.sync_all()
        };
        write_pid(&mut file).map_err(|e| StoreError::io(&path, e))?;
        Ok(Self { _file: file, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_lock_in_same_process_is_refused_with_pid() {
        let dir = tempfile::tempdir().expect("tempdir");
        let first = DataDirLock::acquire(dir.path()).expect("first lock");
        match DataDirLock::acquire(dir.path()) {
            Err(StoreError::InUse { pid, .. }) => assert_eq!(pid, std::process::id()),
            other => panic!("expected InUse, got {other:?}"),
        }
        drop(first);
        assert!(DataDirLock::acquire(dir.path()).is_ok(), "lock is released on drop");
    }
}

//! The data dir as a small tmpfs mount, so the disk-full fault can fill it
//! until the server's writes fail and then free it again, without touching
//! any real disk. Mounting needs root (CAP_SYS_ADMIN); [`Tmpfs::mount`] says
//! why when it cannot, and the run then goes without that fault.

use rustix::mount::{mount, unmount, MountFlags, UnmountFlags};
use std::ffi::CString;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

/// Chunk sizes used to fill the disk: large first, then small to take the
/// last free pages too.
const FILL_CHUNKS: [usize; 2] = [1 << 20, 4096];

/// A mounted tmpfs, unmounted on drop.
#[derive(Debug)]
pub struct Tmpfs {
    dir: PathBuf,
    filler: PathBuf,
}

impl Tmpfs {
    /// Mount a tmpfs of `bytes` on `dir` (created if missing).
    pub fn mount(dir: &Path, bytes: u64) -> Result<Tmpfs, String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
        let options =
            CString::new(format!("size={bytes},mode=0700")).expect("the options have no NUL byte");
        mount(
            "tmpfs",
            dir,
            "tmpfs",
            MountFlags::empty(),
            options.as_c_str(),
        )
        .map_err(|e| format!("mounting a tmpfs on {} (root needed): {e}", dir.display()))?;
        Ok(Tmpfs {
            dir: dir.to_owned(),
            filler: dir.join("disk-full-filler"),
        })
    }

    /// The mount point.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Write a filler file until the file system refuses more (ENOSPC);
    /// returns the bytes written. Blocking: call from `spawn_blocking`.
    pub fn fill(&self) -> Result<u64, String> {
        let mut file = std::fs::File::create(&self.filler)
            .map_err(|e| format!("creating {}: {e}", self.filler.display()))?;
        let mut written = 0u64;
        for chunk in FILL_CHUNKS {
            let zeros = vec![0u8; chunk];
            loop {
                match file.write(&zeros) {
                    Ok(0) => break,
                    Ok(n) => written += n as u64,
                    Err(e) if e.kind() == ErrorKind::StorageFull => break,
                    Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                    Err(e) => return Err(format!("filling {}: {e}", self.dir.display())),
                }
            }
        }
        Ok(written)
    }

    /// Delete the filler: the space is free again.
    pub fn free(&self) -> Result<(), String> {
        match std::fs::remove_file(&self.filler) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
            Err(e) => Err(format!("freeing {}: {e}", self.dir.display())),
        }
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        // Lazy detach: a process still holding a file there cannot keep the
        // mount (and the memory) alive behind us.
        if let Err(e) = unmount(&self.dir, UnmountFlags::DETACH) {
            eprintln!("kefu-chaos: unmounting {}: {e}", self.dir.display());
        }
    }
}

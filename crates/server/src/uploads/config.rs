//! Where uploads are stored ([`UploadConfig`]): a local directory under the
//! data dir by default, or an S3-compatible bucket from `--uploads-url
//! s3://bucket/prefix` with credentials and region from the usual `AWS_*`
//! environment variables (object_store's `AmazonS3Builder::from_env`); and the
//! server-wide limits: sizes, quotas' defaults, burst, unsent uploads' lifetime.

use super::limits::UploadLimits;
use super::rate::UploadRate;
use super::sniff::Kind;
use anyhow::{bail, Context};
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::memory::InMemory;
use object_store::prefix::PrefixStore;
use object_store::ObjectStore;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// Default of `KEFU_UNSENT_UPLOAD_TTL_SECS`: a day. The widget sends an upload
/// as soon as it is stored; a day covers a client that retries much later.
pub const DEFAULT_UNSENT_TTL: Duration = Duration::from_secs(24 * 3600);

/// Where uploads go and how large they may be. Cheap to clone.
#[derive(Clone, Debug)]
pub struct UploadConfig {
    /// The object store holding the bytes, one object per upload ID.
    pub store: Arc<dyn ObjectStore>,
    /// Largest image, bytes (default 10 MB).
    pub max_image: u64,
    /// Largest video, audio or other file, bytes (default 50 MB).
    pub max_file: u64,
    /// Clients downscale images with a longer edge (pixels) before uploading
    /// (`--image-max-edge`, default 2048); told in `ready.limits`.
    pub image_edge: u32,
    /// The quotas of a site that sets none of its own (`KEFU_UPLOAD_*`).
    pub limits: UploadLimits,
    /// Upload attempts per uploader (the burst limit).
    pub rate: Arc<UploadRate>,
    /// Uploads no message refers to are deleted this long after they were made
    /// (`KEFU_UNSENT_UPLOAD_TTL_SECS`, a day).
    pub unsent_ttl: Duration,
}

impl Default for UploadConfig {
    /// In memory (for a bare [`AppState::new`]); [`AppState::open`] uses the
    /// data dir.
    fn default() -> Self {
        UploadConfig {
            store: Arc::new(InMemory::new()),
            max_image: 10 * 1000 * 1000,
            max_file: 50 * 1000 * 1000,
            image_edge: 2048,
            limits: UploadLimits::default(),
            rate: Arc::default(),
            unsent_ttl: DEFAULT_UNSENT_TTL,
        }
    }
}

impl UploadConfig {
    /// Default limits over a local directory (created if missing).
    pub fn local(dir: &Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir)?;
        Ok(UploadConfig {
            store: Arc::new(LocalFileSystem::new_with_prefix(dir)?),
            ..UploadConfig::default()
        })
    }

    /// The store `--uploads-url` names: `None` is `<data_dir>/uploads`;
    /// `s3://bucket[/prefix]` an S3-compatible bucket (`AWS_*` variables,
    /// e.g. `AWS_ENDPOINT` for MinIO); anything else is refused.
    pub fn from_url(url: Option<&str>, data_dir: &Path) -> anyhow::Result<Self> {
        let Some(url) = url else {
            return UploadConfig::local(&data_dir.join("uploads"));
        };
        let Some(rest) = url.strip_prefix("s3://") else {
            bail!("--uploads-url must be s3://bucket/prefix (or unset for <data-dir>/uploads)");
        };
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            bail!("--uploads-url {url}: no bucket");
        }
        let s3 = AmazonS3Builder::from_env()
            .with_bucket_name(bucket)
            .build()
            .with_context(|| format!("configuring the S3 store for {url}"))?;
        let prefix = prefix.trim_matches('/');
        let store: Arc<dyn ObjectStore> = if prefix.is_empty() {
            Arc::new(s3)
        } else {
            Arc::new(PrefixStore::new(s3, prefix))
        };
        Ok(UploadConfig {
            store,
            ..UploadConfig::default()
        })
    }

    /// The limit for `kind`.
    pub fn limit(&self, kind: Kind) -> u64 {
        match kind {
            Kind::Image => self.max_image,
            Kind::Video | Kind::Audio | Kind::File => self.max_file,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_pick_the_store() {
        let dir = tempfile::tempdir().expect("tempdir");
        let local = UploadConfig::from_url(None, dir.path()).expect("local");
        assert!(local.store.to_string().contains("LocalFileSystem"));
        assert!(dir.path().join("uploads").is_dir());
        let s3 = UploadConfig::from_url(Some("s3://bucket/chat/uploads"), dir.path())
            .expect("s3 builds without network");
        assert!(
            s3.store.to_string().contains("chat/uploads"),
            "{}",
            s3.store
        );
        let bare = UploadConfig::from_url(Some("s3://bucket"), dir.path()).expect("bucket only");
        assert!(bare.store.to_string().contains("bucket"), "{}", bare.store);
        assert!(UploadConfig::from_url(Some("ftp://x/y"), dir.path()).is_err());
        assert!(UploadConfig::from_url(Some("s3://"), dir.path()).is_err());
    }
}

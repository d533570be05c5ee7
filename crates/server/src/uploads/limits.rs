//! Upload quotas: what one visitor and one conversation may upload per hour
//! (files and bytes) and what a site may keep in total ([`UploadLimits`]: the
//! server's defaults, which a site may override field by field with
//! [`SiteUploadLimits`]), and the decision whether one more upload fits
//! ([`Check`]) with how long to wait when it does not ([`Refusal`]). The
//! short-term burst limit is [`super::rate`]; the counting is the store's
//! ([`Usage`]), once before the bytes are stored and again in the inserting
//! transaction, so uploads racing on several nodes cannot pass a quota together.
//!
//! Agents are not counted against the per-visitor quota (they are signed-in
//! staff, and one agent serves many conversations); their uploads count in the
//! conversation's quota and the site's total. The conversation's defaults are
//! twice the visitor's, so a visitor alone can never use up a conversation's
//! quota and shut its agents out.

use crate::store::{SiteSetting, Usage, UsedAt};
use crate::{AppState, Error, Result};
use axum::http::StatusCode;
use kefu_protocol::SiteId;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// The quota window, milliseconds: an upload counts for an hour after it was made.
pub const WINDOW_MS: i64 = 3_600_000;

/// The server's defaults (`KEFU_UPLOAD_*`): 30 files / 100 MB per visitor and
/// hour (a customer sending screenshots or photos of a problem needs a handful;
/// 100 MB is ten images or two videos at the size limits), twice that per
/// conversation (the visitor and the agents together), 10 GB per site in total
/// (100,000 photos of 100 KB; raise it for a bucket).
pub const DEFAULT_LIMITS: UploadLimits = UploadLimits {
    visitor_files_per_hour: 30,
    visitor_bytes_per_hour: 100_000_000,
    conversation_files_per_hour: 60,
    conversation_bytes_per_hour: 200_000_000,
    site_bytes: 10_000_000_000,
};

/// The upload limits in effect for a site (`uploadLimits` in the admin API).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadLimits {
    /// Files one visitor may upload in an hour.
    pub visitor_files_per_hour: u32,
    /// Bytes one visitor may upload in an hour.
    pub visitor_bytes_per_hour: u64,
    /// Files one conversation may receive in an hour (visitor and agents).
    pub conversation_files_per_hour: u32,
    /// Bytes one conversation may receive in an hour (visitor and agents).
    pub conversation_bytes_per_hour: u64,
    /// Bytes the site's uploads may take in total (thumbnails not counted).
    pub site_bytes: u64,
}

impl Default for UploadLimits {
    fn default() -> Self {
        DEFAULT_LIMITS
    }
}

/// A site's own limits, as stored in `sites.upload_limits` and as `PUT
/// /sites/{site}` takes them: the fields it sets (each at least 1); the others
/// follow the server's defaults.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SiteUploadLimits {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    visitor_files_per_hour: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    visitor_bytes_per_hour: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    conversation_files_per_hour: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    conversation_bytes_per_hour: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    site_bytes: Option<u64>,
}

impl SiteUploadLimits {
    /// Every value given is at least 1 (a zero would refuse every upload:
    /// that is not a quota); else the field refused (`uploadLimits.<name>`).
    pub fn validate(&self) -> std::result::Result<(), crate::error::Invalid> {
        let given = [
            (
                "visitorFilesPerHour",
                self.visitor_files_per_hour.map(u64::from),
            ),
            ("visitorBytesPerHour", self.visitor_bytes_per_hour),
            (
                "conversationFilesPerHour",
                self.conversation_files_per_hour.map(u64::from),
            ),
            ("conversationBytesPerHour", self.conversation_bytes_per_hour),
            ("siteBytes", self.site_bytes),
        ];
        match given.into_iter().find(|(_, v)| *v == Some(0)) {
            Some((name, _)) => Err(crate::error::Invalid::because(
                format!("uploadLimits.{name}"),
                kefu_protocol::FieldWhy::AtLeast { min: 1 },
            )),
            None => Ok(()),
        }
    }

    /// These limits over `defaults`.
    pub fn over(&self, defaults: &UploadLimits) -> UploadLimits {
        UploadLimits {
            visitor_files_per_hour: self
                .visitor_files_per_hour
                .unwrap_or(defaults.visitor_files_per_hour),
            visitor_bytes_per_hour: self
                .visitor_bytes_per_hour
                .unwrap_or(defaults.visitor_bytes_per_hour),
            conversation_files_per_hour: self
                .conversation_files_per_hour
                .unwrap_or(defaults.conversation_files_per_hour),
            conversation_bytes_per_hour: self
                .conversation_bytes_per_hour
                .unwrap_or(defaults.conversation_bytes_per_hour),
            site_bytes: self.site_bytes.unwrap_or(defaults.site_bytes),
        }
    }
}

/// The limits in effect for `site`: its own over the server's defaults.
pub async fn of_site(state: &AppState, site: &SiteId) -> Result<UploadLimits> {
    let stored = state
        .store
        .site_setting(site, SiteSetting::UploadLimits)
        .await?;
    // Written by us, validated; an unreadable value is logged and the
    // defaults apply (the site keeps working).
    let own: SiteUploadLimits = stored
        .and_then(|json| {
            serde_json::from_str(&json)
                .inspect_err(|e| tracing::error!(error = %e, "sites.upload_limits unreadable"))
                .ok()
        })
        .unwrap_or_default();
    Ok(own.over(&state.uploads.limits))
}

/// What a quota counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// Uploads.
    Files,
    /// Their bytes.
    Bytes,
}

impl std::fmt::Display for Measure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Measure::Files => "files",
            Measure::Bytes => "bytes",
        })
    }
}

/// An upload refused by a limit. Every refusal stores nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// Too many upload attempts by this uploader in a short time (429).
    #[error("too many uploads in a short time, try again later")]
    RateLimited {
        /// Until the next attempt may be made.
        retry_after: Duration,
    },
    /// The visitor's hourly quota is used up (429).
    #[error("upload quota: at most {limit} {measure} per visitor and hour")]
    VisitorQuota {
        /// Which of the two.
        measure: Measure,
        /// The quota.
        limit: u64,
        /// Until enough of the hour's uploads have aged out for this one.
        retry_after: Duration,
    },
    /// The conversation's hourly quota is used up (429).
    #[error("upload quota: at most {limit} {measure} per conversation and hour")]
    ConversationQuota {
        /// Which of the two.
        measure: Measure,
        /// The quota.
        limit: u64,
        /// Until enough of the hour's uploads have aged out for this one.
        retry_after: Duration,
    },
    /// The site's uploads would take more than its total (507: waiting does
    /// not help; space comes back when uploads are revoked or swept, or when
    /// the limit is raised).
    #[error("the site's upload storage is full ({limit} bytes)")]
    SiteStorageFull {
        /// The site's total.
        limit: u64,
    },
}

impl Refusal {
    /// The machine-readable `code` of the HTTP answer.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::RateLimited { .. } => "uploadRateLimited",
            Refusal::VisitorQuota { .. } => "visitorUploadQuota",
            Refusal::ConversationQuota { .. } => "conversationUploadQuota",
            Refusal::SiteStorageFull { .. } => "siteStorageFull",
        }
    }

    /// 429 for the rate and the hourly quotas, 507 for the site's total.
    pub fn status(&self) -> StatusCode {
        match self {
            Refusal::SiteStorageFull { .. } => StatusCode::INSUFFICIENT_STORAGE,
            _ => StatusCode::TOO_MANY_REQUESTS,
        }
    }

    /// How long to wait before trying again (`Retry-After`), when waiting helps.
    pub fn retry_after(&self) -> Option<Duration> {
        match *self {
            Refusal::RateLimited { retry_after }
            | Refusal::VisitorQuota { retry_after, .. }
            | Refusal::ConversationQuota { retry_after, .. } => Some(retry_after),
            Refusal::SiteStorageFull { .. } => None,
        }
    }
}

/// One upload about to be stored, against the limits in effect.
#[derive(Clone, Copy, Debug)]
pub struct Check {
    /// The site's limits.
    pub limits: UploadLimits,
    /// Whether the per-visitor quota applies (a visitor's upload; not an agent's).
    pub visitor: bool,
    /// The upload's bytes.
    pub size: u64,
    /// Now, Unix ms (the state's clock).
    pub now_ms: i64,
}

impl Check {
    /// Uploads made after this (Unix ms) are in the hourly windows.
    pub fn since(&self) -> i64 {
        self.now_ms.saturating_sub(WINDOW_MS)
    }

    /// Refuse (413) a file no waiting would let through: larger than a whole
    /// hour's bytes or than the site's total.
    pub fn possible(&self) -> Result<()> {
        let l = &self.limits;
        let mut caps = vec![
            (l.conversation_bytes_per_hour, "per conversation and hour"),
            (l.site_bytes, "for the site in total"),
        ];
        if self.visitor {
            caps.push((l.visitor_bytes_per_hour, "per visitor and hour"));
        }
        match caps.into_iter().find(|(cap, _)| self.size > *cap) {
            Some((cap, what)) => Err(Error::TooLarge(format!(
                "upload of {} bytes over the {cap} bytes allowed {what}",
                self.size
            ))),
            None => Ok(()),
        }
    }

    /// Whether the upload fits `usage`: the visitor's quota, then the
    /// conversation's, then the site's total.
    pub fn fits(&self, usage: &Usage) -> std::result::Result<(), Refusal> {
        let l = &self.limits;
        if self.visitor {
            self.window(
                &usage.uploader,
                l.visitor_files_per_hour,
                l.visitor_bytes_per_hour,
            )
            .map_err(|(measure, limit, retry_after)| Refusal::VisitorQuota {
                measure,
                limit,
                retry_after,
            })?;
        }
        self.window(
            &usage.conversation,
            l.conversation_files_per_hour,
            l.conversation_bytes_per_hour,
        )
        .map_err(|(measure, limit, retry_after)| Refusal::ConversationQuota {
            measure,
            limit,
            retry_after,
        })?;
        if usage.site_bytes.saturating_add(self.size) > l.site_bytes {
            return Err(Refusal::SiteStorageFull {
                limit: l.site_bytes,
            });
        }
        Ok(())
    }

    /// One hourly quota over `recent` (the window's uploads, oldest first):
    /// on refusal the measure that is over (files first), its limit, and the
    /// wait until enough uploads have left the window for both to fit.
    fn window(
        &self,
        recent: &[UsedAt],
        files: u32,
        bytes: u64,
    ) -> std::result::Result<(), (Measure, u64, Duration)> {
        let leaves = |i: usize| {
            recent.get(i).map_or(WINDOW_MS, |u| {
                u.at.saturating_add(WINDOW_MS).saturating_sub(self.now_ms)
            })
        };
        let most = usize::try_from(files).unwrap_or(usize::MAX);
        // Files: once the oldest `len - most + 1` have left, one more fits.
        let files_wait = (recent.len() >= most).then(|| leaves(recent.len() - most));
        // Bytes: leave oldest first until this upload fits.
        let used: u64 = recent.iter().map(|u| u.size).sum();
        let bytes_wait = (used.saturating_add(self.size) > bytes).then(|| {
            let mut left = used;
            let first_fit = recent.iter().position(|u| {
                left = left.saturating_sub(u.size);
                left.saturating_add(self.size) <= bytes
            });
            leaves(first_fit.unwrap_or(recent.len()))
        });
        let (measure, limit) = match (files_wait, bytes_wait) {
            (None, None) => return Ok(()),
            (Some(_), _) => (Measure::Files, u64::from(files)),
            (None, Some(_)) => (Measure::Bytes, bytes),
        };
        let wait = files_wait.max(bytes_wait).unwrap_or(WINDOW_MS);
        let wait = Duration::from_millis(u64::try_from(wait).unwrap_or(0));
        Err((measure, limit, wait))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 10 * WINDOW_MS;
    const MIN: i64 = 60_000;

    fn check(size: u64, limits: UploadLimits) -> Check {
        Check {
            limits,
            visitor: true,
            size,
            now_ms: NOW,
        }
    }

    fn used(ago_minutes: &[(i64, u64)]) -> Vec<UsedAt> {
        ago_minutes
            .iter()
            .map(|&(ago, size)| UsedAt {
                at: NOW - ago * MIN,
                size,
            })
            .collect()
    }

    fn small() -> UploadLimits {
        UploadLimits {
            visitor_files_per_hour: 2,
            visitor_bytes_per_hour: 100,
            conversation_files_per_hour: 3,
            conversation_bytes_per_hour: 150,
            site_bytes: 1000,
        }
    }

    #[test]
    fn the_count_waits_for_the_oldest_upload_that_must_leave() {
        let usage = Usage {
            uploader: used(&[(50, 1), (20, 1)]),
            conversation: Vec::new(),
            site_bytes: 2,
        };
        let refused = check(1, small()).fits(&usage);
        assert_eq!(
            refused,
            Err(Refusal::VisitorQuota {
                measure: Measure::Files,
                limit: 2,
                retry_after: Duration::from_millis(10 * MIN as u64),
            })
        );
        let one = Usage {
            uploader: used(&[(20, 1)]),
            ..usage
        };
        assert_eq!(check(1, small()).fits(&one), Ok(()));
    }

    #[test]
    fn the_bytes_wait_until_enough_have_left() {
        // 40 + 30 + 20 = 90 of 100 used; 50 more fit once 40 have left (at -50 min).
        let usage = Usage {
            uploader: Vec::new(),
            conversation: used(&[(50, 40), (30, 30), (10, 20)]),
            site_bytes: 90,
        };
        let c = Check {
            visitor: false,
            ..check(50, small())
        };
        assert_eq!(
            c.fits(&usage),
            Err(Refusal::ConversationQuota {
                measure: Measure::Files,
                limit: 3,
                retry_after: Duration::from_millis(10 * MIN as u64),
            })
        );
        let two = Usage {
            conversation: used(&[(50, 20), (30, 110)]),
            ..usage
        };
        // 130 used: 50 more fit only once both have left (the younger at +30 min).
        assert_eq!(
            c.fits(&two),
            Err(Refusal::ConversationQuota {
                measure: Measure::Bytes,
                limit: 150,
                retry_after: Duration::from_millis(30 * MIN as u64),
            })
        );
    }

    #[test]
    fn agents_skip_the_visitor_quota_but_not_the_site_total() {
        let usage = Usage {
            uploader: used(&[(1, 100), (2, 100), (3, 100)]),
            conversation: Vec::new(),
            site_bytes: 990,
        };
        let agent = Check {
            visitor: false,
            ..check(10, small())
        };
        assert_eq!(agent.fits(&usage), Ok(()));
        let full = Check { size: 11, ..agent };
        assert_eq!(
            full.fits(&usage),
            Err(Refusal::SiteStorageFull { limit: 1000 })
        );
        assert_eq!(full.fits(&usage).expect_err("full").retry_after(), None);
    }

    #[test]
    fn a_file_larger_than_a_whole_quota_can_never_fit() {
        assert!(check(100, small()).possible().is_ok());
        assert!(check(101, small()).possible().is_err());
        let agent = Check {
            visitor: false,
            ..check(101, small())
        };
        assert!(agent.possible().is_ok(), "agents have no visitor quota");
        assert!(Check { size: 151, ..agent }.possible().is_err());
    }

    #[test]
    fn site_settings_override_field_by_field_and_zero_is_refused() {
        let own: SiteUploadLimits =
            serde_json::from_str(r#"{"visitorFilesPerHour": 5, "siteBytes": 1000}"#)
                .expect("parses");
        let limits = own.over(&DEFAULT_LIMITS);
        assert_eq!(limits.visitor_files_per_hour, 5);
        assert_eq!(limits.site_bytes, 1000);
        assert_eq!(
            limits.conversation_bytes_per_hour,
            DEFAULT_LIMITS.conversation_bytes_per_hour
        );
        assert_eq!(
            serde_json::to_string(&own).expect("serialises"),
            r#"{"visitorFilesPerHour":5,"siteBytes":1000}"#
        );
        let zero: SiteUploadLimits =
            serde_json::from_str(r#"{"conversationBytesPerHour": 0}"#).expect("parses");
        assert!(zero.validate().is_err());
        assert!(own.validate().is_ok());
        assert!(serde_json::from_str::<SiteUploadLimits>(r#"{"perVisitor": 1}"#).is_err());
    }
}

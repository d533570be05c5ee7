//! Revoked agent tokens (sign-out). The token stays signed and unexpired, so the
//! gateway's `hello` and the agent HTTP routes ask here whether its `jti` was
//! revoked. Rows outlive nothing: each is purged once its token has expired.

use super::Store;
use crate::Result;

impl Store {
    /// Revoke the token `jti` (expiring at `exp`, Unix seconds); purge rows of
    /// tokens expired before `now`. Revoking twice is harmless.
    pub async fn revoke_token(&self, jti: &str, exp: i64, now: i64) -> Result<()> {
        let jti = jti.to_owned();
        self.write(move |conn| {
            Box::pin(async move {
                sqlx::query("DELETE FROM revoked_tokens WHERE exp <= $1")
                    .bind(now)
                    .execute(&mut *conn)
                    .await?;
                sqlx::query(
                    "INSERT INTO revoked_tokens (jti, exp) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                )
                .bind(jti)
                .bind(exp)
                .execute(conn)
                .await?;
                Ok(())
            })
        })
        .await
    }

    /// Whether the token `jti` was revoked.
    pub async fn is_token_revoked(&self, jti: &str) -> Result<bool> {
        let row: Option<(i64,)> = sqlx::query_as("SELECT 1 FROM revoked_tokens WHERE jti = $1")
            .bind(jti)
            .fetch_optional(self.reads())
            .await?;
        Ok(row.is_some())
    }
}

#[cfg(test)]
mod tests {
    use crate::store::test_store;

    #[tokio::test]
    async fn revoke_check_and_purge() {
        let (_dir, store) = test_store().await;
        assert!(!store.is_token_revoked("t1").await.expect("ok"));
        store.revoke_token("t1", 100, 50).await.expect("revoke");
        store.revoke_token("t1", 100, 50).await.expect("twice");
        assert!(store.is_token_revoked("t1").await.expect("ok"));
        store.revoke_token("t2", 300, 200).await.expect("revoke");
        assert!(!store.is_token_revoked("t1").await.expect("purged"));
        assert!(store.is_token_revoked("t2").await.expect("ok"));
    }
}

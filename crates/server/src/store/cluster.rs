//! The deployment's cluster ID: one row, made by migration 0030, shared by
//! every node on this database. The bus puts it in its NATS subjects and
//! presence keys, so deployments sharing one NATS server stay apart.

use super::Store;
use crate::Result;

impl Store {
    /// This database's cluster ID (32 hex digits).
    pub async fn cluster_id(&self) -> Result<String> {
        let (id,): (String,) = sqlx::query_as("SELECT id FROM cluster WHERE one = 1")
            .fetch_one(self.reads())
            .await?;
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use crate::store::test_store;

    #[tokio::test]
    async fn one_id_per_database_the_same_on_every_read() {
        let (_a, one) = test_store().await;
        let (_b, other) = test_store().await;
        let id = one.cluster_id().await.expect("id");
        assert_eq!(id.len(), 32, "{id}");
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
        assert_eq!(one.cluster_id().await.expect("again"), id);
        assert_ne!(other.cluster_id().await.expect("other"), id);
    }
}

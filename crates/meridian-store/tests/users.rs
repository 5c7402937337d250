//! Users, tokens, sessions and the append-only audit trail on both
//! backends (embedded PGlite and native PostgreSQL).

mod common;

use chrono::{Duration, Utc};
use common::{open, BOTH};
use meridian_store::{AuditQuery, AuditRow, NewToken, NewUser, StoreError, UserChange};
use uuid::Uuid;

#[tokio::test(flavor = "multi_thread")]
async fn users_tokens_and_sessions_round_trip() {
    for kind in BOTH {
        let (store, _dir) = open(kind).await;
        let id = Uuid::now_v7();
        let new =
            NewUser { id, name: "alice", password_hash: "$argon2id$x", role: "viewer", all_sites: true, sites: &[] };
        let u = store.insert_user(&new, Utc::now()).await.expect("insert");
        assert_eq!((u.name.as_str(), u.role.as_str(), u.failed_logins), ("alice", "viewer", 0));
        let dup = NewUser { id: Uuid::now_v7(), ..new };
        let e = store.insert_user(&dup, Utc::now()).await.expect_err("duplicate name");
        assert!(matches!(e, StoreError::Duplicate { field: "name", .. }), "{kind:?}: {e:?}");
        let bad_site = [Uuid::now_v7()];
        let e = store
            .update_user(id, &UserChange { sites: Some(&bad_site), ..Default::default() }, Utc::now())
            .await
            .expect_err("unknown site");
        assert!(matches!(e, StoreError::NotFound { what: "site", .. }), "{kind:?}: {e:?}");
        assert_eq!(store.count_failed_login(id).await.expect("fail"), 1);
        assert_eq!(store.count_failed_login(id).await.expect("fail"), 2);
        store.lock_user(id, Utc::now()).await.expect("lock");
        assert!(store.user_by_name("alice").await.expect("by name").expect("some").locked_at.is_some());
        let unlocked = store
            .update_user(id, &UserChange { unlock: true, role: Some("operator"), ..Default::default() }, Utc::now())
            .await
            .expect("unlock");
        assert_eq!((unlocked.failed_logins, unlocked.locked_at, unlocked.role.as_str()), (0, None, "operator"));

        let hash = [7u8; 32];
        let t = NewToken {
            id: Uuid::now_v7(),
            user_id: id,
            name: "ci",
            secret_hash: &hash,
            role: "viewer",
            expires_at: Utc::now() + Duration::days(1),
        };
        store.insert_token(&t, Utc::now()).await.expect("token");
        let (found, owner) = store.token_by_hash(&hash).await.expect("lookup").expect("found");
        assert_eq!((found.name.as_str(), owner.id), ("ci", id));
        assert!(store.token_by_hash(&[8u8; 32]).await.expect("lookup").is_none());
        assert!(store.revoke_token(t.id, Utc::now()).await.expect("revoke").revoked_at.is_some());

        store.insert_session(Uuid::now_v7(), id, &[1; 32], &[2; 32], Utc::now(), Utc::now()).await.expect("session");
        assert!(store.session_by_hash(&[1; 32]).await.expect("session").is_some());
        store.delete_sessions_of(id).await.expect("end sessions");
        assert!(store.session_by_hash(&[1; 32]).await.expect("session").is_none());
        let gone = store.delete_user(id).await.expect("delete");
        assert_eq!(gone.name, "alice");
        assert!(store.token_by_hash(&hash).await.expect("lookup").is_none(), "{kind:?}: tokens go with the user");
        store.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn audit_rows_are_append_only() {
    for kind in BOTH {
        let (store, _dir) = open(kind).await;
        let row = AuditRow {
            id: 0,
            at: Utc::now(),
            actor: "alice".into(),
            actor_id: None,
            source: "127.0.0.1".into(),
            action: "device.add".into(),
            entity: "device".into(),
            entity_id: "d1".into(),
            site_id: None,
            before: None,
            after: Some(serde_json::json!({"name": "r1"})),
        };
        let id = store.append_audit(&row).await.expect("append");
        for sql in [
            "UPDATE audit_trail SET actor = 'mallory'".to_owned(),
            format!("DELETE FROM audit_trail WHERE id = {id}"),
            "TRUNCATE audit_trail".to_owned(),
        ] {
            let e = sqlx::query(&sql).execute(&mut *store.conn().await.expect("conn")).await.expect_err(&sql);
            assert!(e.to_string().contains("append-only"), "{kind:?}: {sql}: {e}");
        }
        let q = AuditQuery { actor: Some("alice".into()), limit: 10, ..Default::default() };
        let rows = store.list_audit(&q).await.expect("list");
        assert_eq!(rows.len(), 1, "{kind:?}");
        assert_eq!((rows[0].actor.as_str(), rows[0].after.clone()), ("alice", row.after.clone()));
        let q = AuditQuery { actor: Some("x' OR '1'='1".into()), limit: 10, ..Default::default() };
        assert!(store.list_audit(&q).await.expect("list").is_empty(), "{kind:?}: filters are bound, not spliced");
        store.close().await;
    }
}

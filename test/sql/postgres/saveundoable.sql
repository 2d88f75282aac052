-- saveUndoable
insert into "undoable_logs" ("user_id", "workspace_id", "kind", "target_id", "logged_at", "journal") values ($1, $2, $3, $4, $5, $6) on conflict ("user_id") do update set "workspace_id" = excluded.workspace_id, "kind" = excluded.kind, "target_id" = excluded.target_id, "logged_at" = excluded.logged_at, "journal" = excluded.journal

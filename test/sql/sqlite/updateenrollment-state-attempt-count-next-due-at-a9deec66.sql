-- updateEnrollment state,attempt_count,next_due_at,due_kind,priority,last_attempt_at,lease_user_id,lease_expires_at,updated_at
update "enrollments" set "state" = ?, "attempt_count" = ?, "next_due_at" = ?, "due_kind" = ?, "priority" = ?, "last_attempt_at" = ?, "lease_user_id" = ?, "lease_expires_at" = ?, "updated_at" = ? where "id" = ?

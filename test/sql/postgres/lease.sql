-- lease
update "enrollments" set "lease_user_id" = $1, "lease_expires_at" = $2 where "id" = any($3::bigint[]) and ("lease_user_id" is null or "lease_expires_at" <= $4 or "lease_user_id" = $5)

-- lease
update "enrollments" set "lease_user_id" = ?, "lease_expires_at" = ? where "id" in (select value from json_each(?)) and ("lease_user_id" is null or "lease_expires_at" <= ? or "lease_user_id" = ?)

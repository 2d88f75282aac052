-- leased
select "id" from "enrollments" where "id" = any($1::bigint[]) and "lease_user_id" = $2 and "lease_expires_at" = $3

-- leased
select "id" from "enrollments" where "id" in (select value from json_each(?)) and "lease_user_id" = ? and "lease_expires_at" = ?

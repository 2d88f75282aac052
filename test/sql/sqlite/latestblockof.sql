-- latestBlockOf
select * from "call_blocks" where "user_id" = ? order by "started_at" desc, "id" desc limit ?

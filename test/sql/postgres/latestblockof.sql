-- latestBlockOf
select * from "call_blocks" where "user_id" = $1 order by "started_at" desc, "id" desc limit $2

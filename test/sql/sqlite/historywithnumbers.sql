-- historyWithNumbers
select "a"."started_at", "a"."outcome", "a"."number_id", "a"."voicemail_left", "a"."script", "a"."scheduled_for" from "attempts" as "a" where "a"."enrollment_id" = ? order by "a"."started_at", "a"."id"

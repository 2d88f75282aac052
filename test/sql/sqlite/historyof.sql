-- historyOf
select "a"."enrollment_id", "a"."started_at", "a"."outcome", "n"."e164", "a"."voicemail_left", "a"."script", "a"."scheduled_for" from "attempts" as "a" left join "numbers" as "n" on "n"."id" = "a"."number_id" where "a"."enrollment_id" in (select value from json_each(?)) order by "a"."started_at", "a"."id"

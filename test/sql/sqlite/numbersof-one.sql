-- numbersOf one
select "cn"."contact_id", "n"."id" as "number_id", "n"."e164", "cn"."kind", "cn"."extension", "n"."valid", "d"."id" as "dnc_id" from "contact_numbers" as "cn" inner join "numbers" as "n" on "n"."id" = "cn"."number_id" left join "dnc_entries" as "d" on "d"."e164" = "n"."e164" and "d"."workspace_id" = ? where "cn"."contact_id" = ? order by "cn"."contact_id", "cn"."created_at"

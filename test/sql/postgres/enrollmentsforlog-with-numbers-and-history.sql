-- enrollmentsForLog with numbers and history
select "e".*, "k"."name" as "campaign_name", "k"."policy", "k"."urgency", "c"."first_name", "c"."last_name", "c"."kind", "c"."time_zone", "c"."region", "c"."country", "c"."do_not_call", (
            select coalesce(json_agg(json_build_object(
                     'contact_id', cn.contact_id, 'number_id', n.id, 'e164', n.e164, 'kind', cn.kind,
                     'extension', cn.extension, 'valid', n.valid, 'dnc_id', d.id) order by cn.created_at), '[]'::json)
              from contact_numbers cn
              join numbers n on n.id = cn.number_id
              left join dnc_entries d on d.e164 = n.e164 and d.workspace_id = $1
             where cn.contact_id = e.contact_id) as "numbers_json", (
            select coalesce(json_agg(json_build_object(
                     'started_at', a.started_at, 'outcome', a.outcome, 'e164', n.e164,
                     'voicemail_left', a.voicemail_left, 'script', a.script,
                     'scheduled_for', a.scheduled_for) order by a.started_at, a.id), '[]'::json)
              from attempts a
              left join numbers n on n.id = a.number_id
             where a.enrollment_id = e.id) as "history_json" from "enrollments" as "e" inner join "contacts" as "c" on "c"."id" = "e"."contact_id" inner join "campaigns" as "k" on "k"."id" = "e"."campaign_id" where "e"."workspace_id" = $2 and "e"."contact_id" = $3 order by "e"."id" for update of "e"

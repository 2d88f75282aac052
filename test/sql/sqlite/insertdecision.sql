-- insertDecision
insert into "screening_decisions" ("workspace_id", "user_id", "block_id", "caller_raw", "caller_e164", "contact_id", "action", "reason", "callback_entry_id", "attempt_id", "decided_at", "call_sid", "fail_open") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict ("workspace_id", "call_sid") do nothing returning "id"

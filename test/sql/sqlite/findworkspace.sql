-- findWorkspace
select * from "workspaces" where "id" = ?

-- findWorkspace
select * from "workspaces" where "id" = $1

Invite a teammate to ${(event.properties.project_name)!"your project"} and assign the first task.

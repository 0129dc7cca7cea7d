Create a project

Bring your team into ${(event.properties.project_name)!"your project"}

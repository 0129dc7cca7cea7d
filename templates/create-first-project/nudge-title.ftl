Start with your first project

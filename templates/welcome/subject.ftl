Welcome to Tasklane, ${user.first_name!"there"}: your first project is one click away

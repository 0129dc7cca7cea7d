Your Tasklane workspace is waiting for its first project

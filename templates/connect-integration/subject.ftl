Connect Tasklane to the tools your team already uses

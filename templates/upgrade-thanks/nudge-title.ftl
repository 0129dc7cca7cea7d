Welcome to Tasklane ${(account.traits.plan)!""}

A 20-minute call to get ${(account.traits.name)!"your team"} going with Tasklane?

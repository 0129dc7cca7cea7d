${(account.traits.name)!"貴社"}の Tasklane 活用について、20分お話ししませんか

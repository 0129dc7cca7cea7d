Tasklane ${(account.traits.plan)!""} へようこそ

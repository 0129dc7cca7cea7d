One of your accounts has entered the at-risk segment.

Account: ${(account.traits.name)!account.id} (${account.id})
Plan:    ${(account.traits.plan)!"unknown"}
Health:  ${(account.health.score)!"?"} / 100, ${(account.health.band)!"unknown"}
Stage:   ${(account.stage)!"unknown"}

A personal call in the next few days is the best remedy. The account's timeline in Kizuna shows
what its users did and which messages they received.

[Kizuna] ${(account.traits.name)!account.id} is at risk: health ${(account.health.score)!"?"} (${(account.health.band)!"unknown"})

<#-- Slack's text format: *bold*, <url|label> links. Values are escaped for Slack (&, <, >). -->
:warning: *${(account.traits.name)!account.id}* has entered the at-risk segment.
Plan: ${(account.traits.plan)!"unknown"} · Health: ${(account.health.score)!"?"} / 100 (${(account.health.band)!"unknown"}) · CSM: ${(account.traits.csm)!"none"}
A personal call in the next few days is the best remedy.

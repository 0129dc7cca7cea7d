<#-- The JSON a CRM or support desk receives. Every ${value} is escaped for a JSON string:
     keep it inside quotes. Numbers and booleans are written as JSON reads them. -->
{
  "type": "account.at_risk",
  "message_id": ${message_id},
  "rule": "${rule.id}",
  "account": {
    "id": "${account.id}",
    "name": "${(account.traits.name)!account.id}",
    "plan": "${(account.traits.plan)!""}",
    "health_score": ${(account.health.score)!"null"},
    "health_band": "${(account.health.band)!""}"
  }
}

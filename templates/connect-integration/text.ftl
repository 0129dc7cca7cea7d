Hi ${user.first_name!"there"},

Your team is growing in ${(account.traits.name)!"your workspace"}. Connect Slack, GitHub or Google Drive
so that updates reach people where they already work.

Browse integrations: https://app.tasklane.example/integrations

The Tasklane team

<#include "/partials/footer.ftl">

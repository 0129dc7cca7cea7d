Hi ${user.first_name!"there"},

Nice work creating ${(event.properties.project_name)!"your first project"}!
Projects with at least two people are three times more likely to be finished on time.

Invite teammates: https://app.tasklane.example/settings/members

The Tasklane team

<#include "/partials/footer.ftl">

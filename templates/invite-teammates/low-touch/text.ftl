Hi ${user.first_name!"there"},

Nice work creating ${(event.properties.project_name)!"your first project"}!
Projects with at least two people are three times more likely to be finished on time.

Rolling Tasklane out to a larger team? Our customer success team can help you plan it:
just reply to this email.

Invite teammates: https://app.tasklane.example/settings/members

The Tasklane customer success team

<#include "/partials/footer.ftl">

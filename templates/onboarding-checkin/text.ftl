Hi ${user.first_name!"there"},

How is ${(account.traits.name)!"your team"} getting on with Tasklane? Our customer success team can walk you
through setting up projects, inviting your team and connecting your tools in a 20-minute call.

Book a call: https://app.tasklane.example/onboarding/book
Getting-started guide: https://help.tasklane.example/getting-started

The Tasklane customer success team

<#include "/partials/footer.ftl">

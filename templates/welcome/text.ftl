Hi ${user.first_name!"there"},

Welcome to Tasklane! Your workspace ${(account.traits.name)!"your workspace"} is ready.

Teams that create their first project on day one get value from Tasklane twice as fast.
It takes about two minutes: https://app.tasklane.example/projects/new

Happy planning,
The Tasklane team

<#include "/partials/footer.ftl">

Hi ${user.first_name!"there"},

${(account.traits.name)!"Your workspace"} is ready, but it has no project yet.
Start from a template for a product launch, sprint planning or a content calendar: it takes two minutes.

Create a project: https://app.tasklane.example/projects/new

The Tasklane team

<#include "/partials/footer.ftl">

Hi ${user.first_name!"there"},

A few things changed in Tasklane since you last dropped by:

- Timeline view for every project, with drag-and-drop dates
- Recurring tasks for weekly routines
- Faster search across projects and comments

Open Tasklane: https://app.tasklane.example/

The Tasklane team

<#include "/partials/footer.ftl">

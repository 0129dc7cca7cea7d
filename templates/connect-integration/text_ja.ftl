${user.first_name!""}さん、こんにちは。

${(account.traits.name)!"ワークスペース"} のメンバーが増えてきました。Slack、GitHub、Google Drive と連携すると、
いつもの場所で更新を受け取れます。

連携を見る：https://app.tasklane.example/integrations

Tasklane チーム

<#include "/partials/footer.ftl">

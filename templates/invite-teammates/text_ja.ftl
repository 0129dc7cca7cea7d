${user.first_name!""}さん、こんにちは。

${(event.properties.project_name)!"最初のプロジェクト"} の作成おめでとうございます！
2人以上で進めるプロジェクトは、期限内に完了する確率が3倍になります。

メンバーを招待する：https://app.tasklane.example/settings/members

Tasklane チーム

<#include "/partials/footer.ftl">

${user.first_name!""}さん、こんにちは。

${(event.properties.project_name)!"最初のプロジェクト"} の作成おめでとうございます！
2人以上で進めるプロジェクトは、期限内に完了する確率が3倍になります。

チーム全体への展開をご検討でしたら、カスタマーサクセスチームが計画づくりをお手伝いします。このメールにご返信ください。

メンバーを招待する：https://app.tasklane.example/settings/members

Tasklane カスタマーサクセスチーム

<#include "/partials/footer.ftl">

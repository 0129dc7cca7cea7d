${user.first_name!""}さん、こんにちは。

${(account.traits.name)!"ワークスペース"} の準備はできていますが、まだプロジェクトがありません。
製品ローンチ、スプリント計画、コンテンツカレンダーのテンプレートを使えば、2分で始められます。

プロジェクトを作成する：https://app.tasklane.example/projects/new

Tasklane チーム

<#include "/partials/footer.ftl">

${user.first_name!""}さん、こんにちは。

Tasklane へようこそ！ワークスペース ${(account.traits.name)!"ワークスペース"} の準備ができました。

初日に最初のプロジェクトを作成したチームは、2倍の速さで Tasklane の効果を実感しています。
所要時間は約2分です：https://app.tasklane.example/projects/new

Tasklane チーム

<#include "/partials/footer.ftl">

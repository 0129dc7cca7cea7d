${user.first_name!""}さん、こんにちは。

${(account.traits.name)!"貴社"}での Tasklane のご利用状況はいかがでしょうか。カスタマーサクセスチームが、
プロジェクトの設定、メンバーの招待、ツール連携までを20分のオンラインミーティングでご案内します。

ミーティングを予約する：https://app.tasklane.example/onboarding/book
スタートガイド：https://help.tasklane.example/getting-started

Tasklane カスタマーサクセスチーム

<#include "/partials/footer.ftl">

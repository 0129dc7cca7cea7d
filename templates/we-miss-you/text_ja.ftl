${user.first_name!""}さん、こんにちは。

前回のご利用以降、Tasklane に次の機能が加わりました。

- すべてのプロジェクトでタイムライン表示（ドラッグ＆ドロップで日程変更）
- 毎週の定型業務に使える繰り返しタスク
- プロジェクトとコメントを横断する、より速い検索

Tasklane を開く：https://app.tasklane.example/

Tasklane チーム

<#include "/partials/footer.ftl">

--
Tasklane をご利用いただいているため、このメールをお送りしています。
<#if unsubscribe_url??>配信停止: ${unsubscribe_url}
</#if>Tasklane株式会社 〒150-0002 東京都渋谷区渋谷2-24-12

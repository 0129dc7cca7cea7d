--
Tasklane をご利用いただいているため、${sender.name!"Tasklane"} よりこのメールをお送りしています。配信はいつでも停止できます。
<#if unsubscribe_url??>配信停止: ${unsubscribe_url}
</#if>${sender.postal_address!}
お問い合わせ・苦情: ${sender.contact!}

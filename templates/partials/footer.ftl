--
${sender.name!"Tasklane"} sends you this email because you use Tasklane. You may refuse these emails at any time.
<#if unsubscribe_url??>Unsubscribe: ${unsubscribe_url}
</#if>${sender.postal_address!}
Questions or complaints: ${sender.contact!}

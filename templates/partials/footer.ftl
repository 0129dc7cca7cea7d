--
You receive this email because you use Tasklane.
<#if unsubscribe_url??>Unsubscribe: ${unsubscribe_url}
</#if>Tasklane Inc., 548 Market St, San Francisco, CA 94104, USA

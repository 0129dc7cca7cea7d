--
You receive this email because you use Tasklane.
Tasklane Inc., 548 Market St, San Francisco, CA 94104, USA

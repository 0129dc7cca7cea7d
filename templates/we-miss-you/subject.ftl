Here is what is new in Tasklane since your last visit

Can we help you get more out of Tasklane?

Thank you for choosing Tasklane. Your whole team now has unlimited projects and integrations.

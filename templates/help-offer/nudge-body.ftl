Our customer success team is happy to look at your setup with you and suggest what to try next.

Upgrade to Team for unlimited projects, guests and integrations. Your work stays exactly where it is.

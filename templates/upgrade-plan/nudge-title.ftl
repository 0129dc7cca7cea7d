You have reached the Free plan limit

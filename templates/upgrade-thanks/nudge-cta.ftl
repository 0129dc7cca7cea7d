See your plan

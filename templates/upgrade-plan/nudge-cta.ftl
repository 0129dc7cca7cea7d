See plans

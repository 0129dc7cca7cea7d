Talk to us

Projects go faster together

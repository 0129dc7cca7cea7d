Pick a template or start blank: it takes about two minutes, and your team can join later.

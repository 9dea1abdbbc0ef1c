"""kb, members, timeline: the knowledge base from the command line."""

"""Contact: messages to the organisers, answered from the console."""

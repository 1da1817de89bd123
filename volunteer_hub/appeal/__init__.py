"""The International Emergency Appeal, and the people who endorse it."""

"""Comments on events, held for moderation."""

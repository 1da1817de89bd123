"""The coordinators' console: events, RSVPs, volunteers at a glance."""

"""Coordinators: accounts, sign-in, and the audit log of what they do."""

"""Door check-in: tick people off on a phone, add walk-ins."""

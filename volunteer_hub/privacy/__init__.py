"""Privacy: the retention policy (``flask purge-expired``), a person's own
data from their manage link, and logs that carry no secret links."""

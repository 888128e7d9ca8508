"""QA: small checks returning findings, one registry used by `run` and `pipeline check`."""

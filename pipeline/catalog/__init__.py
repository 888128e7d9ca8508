"""Catalogues: messages, reading, merging with reviewers' work, writing .pot/.po/.mo, status."""

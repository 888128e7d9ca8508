"""Export: what ships to a site (.mo, JSON, documents rebuilt in the target language)."""

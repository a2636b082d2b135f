"""The people pages: bodies and accounts (organization administrators), officials (registry)."""

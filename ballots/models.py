"""Models arrive with their issue; the app is in place so dependencies point one way."""

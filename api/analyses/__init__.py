"""analyses domain."""

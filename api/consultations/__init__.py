"""consultations domain."""

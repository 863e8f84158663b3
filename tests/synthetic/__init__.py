"""Synthetic test images: no real licence, no personal data, marked as synthetic."""

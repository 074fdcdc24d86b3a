"""``domino`` import path for pieces written for the original Domino (runtime/testing only)."""

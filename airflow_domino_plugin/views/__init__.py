"""Hosts the GUI: serves the built single-page app and declares its navigation entry."""

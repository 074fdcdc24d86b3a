"""Runners execute the SDK runtime for one piece: locally (subprocess) or in a Kubernetes pod."""

"""Piece repositories: fetching them from GitHub, git or a folder, and installing versions side by side."""

"""``domino-pieces``: command line for piece authors (scaffold, compile, dry-run, images, release).

Depends only on the SDK (pydantic) and the standard library; the Docker SDK is optional.
"""

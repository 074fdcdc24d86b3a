"""Developer tooling (local stack, PostgreSQL for tests); not shipped in the package."""

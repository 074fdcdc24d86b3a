"""Fixtures shared by the integration and browser tests, defined once so a session starts one
Airflow stack per flavour for both."""

pytest_plugins = ["tests.stack"]

"""Service layer: what the plugin does, with no knowledge of FastAPI.

Functions take a SQLAlchemy ``Session`` and plain values and raise the errors in
:mod:`airflow_domino_plugin.services.errors`; the web layer maps those to HTTP.
"""

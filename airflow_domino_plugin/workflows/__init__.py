"""Workflow documents: format, bindings, validation, diffs and run parameters.

A pure library (pydantic, jsonschema, croniter, cron-descriptor; no Airflow, web or database
imports) shared by the API, which validates and stores documents, and the DAG factory, which
builds DAGs from them. Import the submodules directly; this file stays import-free so the
piece runtime can load :mod:`.bindings` without pulling in validation.
"""

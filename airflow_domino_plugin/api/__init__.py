"""The REST API served by Airflow's API server under ``/domino/api/v1``."""

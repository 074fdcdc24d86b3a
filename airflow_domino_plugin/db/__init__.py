"""The plugin's own tables in Airflow's metadata database (prefix ``domino_``)."""

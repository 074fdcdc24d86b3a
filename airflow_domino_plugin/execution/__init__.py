"""Running a piece as an Airflow task: inputs, secrets, runners, results storage."""

"""``from domino.testing import piece_dry_run``."""

from airflow_domino_sdk.testing import piece_dry_run

__all__ = ["piece_dry_run"]

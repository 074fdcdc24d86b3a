"""``from domino.base_piece import BasePiece`` → the SDK's BasePiece."""

from airflow_domino_sdk.base_piece import BasePiece

__all__ = ["BasePiece"]

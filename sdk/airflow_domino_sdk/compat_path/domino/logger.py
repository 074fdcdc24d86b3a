"""``domino.logger.get_configured_logger``: a logger whose lines reach the task log."""

import logging

from airflow_domino_sdk.piece_logging import get_piece_logger


def get_configured_logger(name: str) -> logging.Logger:
    return get_piece_logger(name)


__all__ = ["get_configured_logger"]

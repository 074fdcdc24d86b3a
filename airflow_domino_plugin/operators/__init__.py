"""The operators workflow tasks are instances of, and the hook they share.

- :mod:`.piece`: ``PieceOperator`` (subprocess and docker runners) and ``DockerPieceOperator``;
- :mod:`.kubernetes`: ``KubernetesPieceOperator``, one pod per task;
- :mod:`.flow`: the for-each items task and the branching piece task;
- :mod:`.build_error`: the single task of a workflow that cannot be built;
- :mod:`.hook`: ``PieceHook``, the one place that looks pieces up and stores results;
- :mod:`.inputs`: bindings -> input values at run time.

Airflow records each operator's module path in the serialized DAG only for display (and for
plugin-defined extra links, which this plugin has none of); a re-parse records the new path.
"""

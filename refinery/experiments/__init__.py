"""Experiments: run reports, run comparisons and sweeps over config values.

- ``report``: ``report.html`` of a run directory (``refinery report RUN_DIR``);
- ``compare``: runs side by side (``refinery compare RUN_A RUN_B ...``);
- ``sweep``: one run per combination of config values (``refinery run CONFIG --sweep K=V,...``).

Everything here reads what a run wrote (``stats.json``, ``config.yaml``, the Parquet files)
and never document text or ids into its output.
"""

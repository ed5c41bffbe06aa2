"""Batch work over corpora: many files, many records, in parallel, nothing lost.

The pieces, each in its own module:

- :mod:`.inputs` finds the files (directories walked, include/exclude globs)
  and decides each one's format;
- :mod:`.records` is what happens to one record (check or fix of its text
  fields) — the same function serves local workers and Dask partitions;
- :mod:`.formats` cuts each format into chunks of records and puts the
  fixed records back together byte for byte (text, JSONL, TSV, Parquet);
- :mod:`.engine` runs chunks in worker processes, in order, with a bounded
  number in flight, and streams outputs to atomic files;
- :mod:`.summary` counts what went in and out, for the summary line and
  ``--report``.
"""

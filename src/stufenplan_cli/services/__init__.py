"""The jobs the commands run: the ``assess`` interview, batch scoring in worker processes, exports to JSON/CSV/Excel,
merging workshop groups, comparing sheets, and reports for many sheets.

May import ``domain``, ``files``, ``render`` and ``errors``; never ``cli``. Returns data, raises our errors, never
prints.
"""

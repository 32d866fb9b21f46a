"""The domain: the file formats as pydantic models, the scoring rule and the roadmap.

Pure data and functions. May import only ``errors``; imports nothing from ``files``, ``render``, ``services`` or ``cli``; never reads or
writes a file, never prints. Everything else builds on this package.
"""

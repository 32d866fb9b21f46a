"""Files: reading YAML safely, validating it into the domain models, finding questionnaires, writing and editing
answer sheets atomically, the JSON Schema of the formats.

May import ``domain`` and ``errors``; never ``render``, ``services`` or ``cli``. Never prints.
"""

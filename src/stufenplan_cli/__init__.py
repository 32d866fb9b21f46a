"""stufenplan: self-assessment of a municipality on the Stufenplan Smarte Städte und Regionen."""

__version__ = "0.1.0"

"""The journal's pages, one module per feature (see docs/architecture.md)."""

"""The journal's forms, one module per feature; fields.py holds what several of them share."""

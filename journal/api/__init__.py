"""The JSON API under /api/v1/: the point guides (public) and the user's own sessions."""

"""`make bench`: seed throwaway databases, time the pages in process and over HTTP, report ratios.

Every figure is a ratio against a baseline measured in the same run (``/healthz``, or the same page
at 100 sessions), because absolute timings on a shared machine are noise.
"""

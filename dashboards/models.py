"""Dashboards. The synthetic benchmark district's bookkeeping moved to ``bench``."""

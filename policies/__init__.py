"""CrossGuard policy pack: nothing beyond the catalogue is ever granted.

The pack judges the resources of a stack itself (never the planner's results) against the
catalogue it reads from disk. `__main__.py` only builds the pack; `rules.py` is the table of the
rules (the checks are in the modules named for their family), `pack.py` makes
them CrossGuard policies.
"""

"""Limits named once, light enough for the command line to import at start-up."""

MIN_PARTICIPANTS = 2
MAX_PARTICIPANTS = 200
"""The group sizes syslead plans for: from a pair of chief executives to a whole-system summit."""

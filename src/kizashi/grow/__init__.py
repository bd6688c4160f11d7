"""Grow and use: goals against threats, roadmaps, the programme portfolio, stage gates and barriers."""

"""Moved to ``stages.textutil.scripts``; this name stays while ``stages.dedup.shingles`` imports
``code_points`` from it. New code imports ``stages.textutil.scripts``."""

from stages.textutil.scripts import HAN, KANA, LATIN, characters, code_points, script_counts

__all__ = ["HAN", "KANA", "LATIN", "characters", "code_points", "script_counts"]

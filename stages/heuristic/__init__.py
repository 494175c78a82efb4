"""Heuristic text-quality filters: Gopher, C4 and FineWeb rules, for English and Chinese."""

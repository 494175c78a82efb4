"""Selection stages: global cuts over a score column (top-k%)."""

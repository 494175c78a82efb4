"""Model-based text-quality stages: language identification."""

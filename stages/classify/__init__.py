"""Model classifiers: train, evaluate and apply fastText classifiers (quality, domain)."""

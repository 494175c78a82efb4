"""PII detection and redaction for bank data: validated identifiers, names and addresses.

``detector.PiiDetector`` finds entities; ``redact.PiiRedactor`` (stage ``pii_redact``) masks,
pseudonymises or drops them; ``cli`` holds the ``pii-scan`` and ``pii-detect`` commands.
"""

"""The stage library. Every module below is imported by ``refinery.stage.load_builtin_stages``;
keep module top levels free of heavy imports (load models in ``setup()``)."""

project = "symdl test: gradient checks"
extensions = ["symdl.sphinxext"]
exclude_patterns = ["_build"]

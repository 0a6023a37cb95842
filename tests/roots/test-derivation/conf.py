project = "symdl test: derivations"
extensions = ["symdl.sphinxext"]
exclude_patterns = ["_build"]

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

project = "symdl test: proofs"
extensions = ["symdl.sphinxext"]
symdl_proof_package = "course_proofs"
exclude_patterns = ["_build"]

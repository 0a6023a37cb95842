"""Proof modules of a course, kept outside symdl (the contract of symdl.publish.proving)."""

"""The course's own proofs: each states a theorem and asserts it."""

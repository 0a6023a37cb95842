"""The packages of the wheel: every package under ``symdl/``, discovered (a new subpackage cannot
be left out), and the proof modules of ``proofs/``, installed as ``symdl.proofs``; and the
Sphinx extension's style sheet.

Everything else is in ``pyproject.toml``; only this mapping of a top-level folder into the
package needs code.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["symdl", "symdl.*"]), "symdl.proofs"],
    package_dir={"symdl.proofs": "proofs"},
    package_data={"symdl.publish": ["static/*.css"]},  # the Sphinx extension's style sheet
)

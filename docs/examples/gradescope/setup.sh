#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image (Ubuntu): it
# installs what run_autograder needs.
#
# The autograder is a zip of the files of this folder (the files themselves at the top of the
# zip, not the folder):
#   setup.sh         this script
#   run_autograder   grades one submission, writes /autograder/results/results.json
#   problem.toml     the problem (a symdl problem file: symdl.grading.problem_files)
# and, optionally, a wheel of symdl (symdl-*.whl) to install instead of the released one.
set -euo pipefail

apt-get update
apt-get install -y python3 python3-pip

# The image is built for this autograder alone: on Ubuntu 24.04 and later, pip refuses to
# install into the system's Python (PEP 668) unless told that this is intended.
export PIP_BREAK_SYSTEM_PACKAGES=1

shopt -s nullglob
wheels=(/autograder/source/symdl-*.whl)
if (( ${#wheels[@]} )); then
    python3 -m pip install "${wheels[0]}"
else
    python3 -m pip install symdl
fi

"""pytest in docs/: the pages' examples run as doctests (``--doctest-glob='*.rst'``).

The Sphinx configuration is not a test module, and the built site and MathJax are not sources.
"""

collect_ignore = ["conf.py"]
collect_ignore_glob = ["_build/*", "node_modules/*"]

"""The ``symdl-commands`` directive: the command line documented from its own parsers.

It lives beside the commands it lists (the Sphinx extension, :mod:`symdl.sphinxext`,
registers it), so that the publishing code below never imports the command line.
"""

from __future__ import annotations

import argparse

from docutils import nodes

from symdl.publish.directives import SymdlDirective

__all__ = ["CommandsDirective"]


class CommandsDirective(SymdlDirective):
    """``symdl-commands``: every subcommand of ``symdl``, with its purpose and its usage.

    Read from the command's own parsers when the documentation is built, so that the page
    lists exactly the commands and options that exist.
    """

    has_content = False

    def run(self) -> list[nodes.Node]:
        from symdl.cli import COMMANDS  # the package this module belongs to

        self.note_sources()
        listing = nodes.definition_list(classes=["symdl-commands"])
        for command in COMMANDS:
            parser = argparse.ArgumentParser(prog=f"symdl {command.NAME}", description=command.HELP)
            command.configure(parser)
            usage = parser.format_usage().removeprefix("usage: ").strip()
            item = nodes.definition_list_item()
            item += nodes.term("", "", nodes.literal(text=f"symdl {command.NAME}"))
            body = nodes.definition()
            purpose = nodes.paragraph(text=command.HELP[:1].upper() + command.HELP[1:] + ".")
            purpose["support_smartquotes"] = False  # options such as --answer stay as written
            body += purpose
            block = nodes.literal_block(usage, usage)
            block["language"] = "text"
            body += block
            item += body
            listing += item
        return [listing]

"""The ``symdl-commands`` directive: the command line documented from its own parsers.

It lives beside the commands it lists (the Sphinx extension, :mod:`symdl.sphinxext`,
registers it), so that the publishing code below never imports the command line.

Each command becomes a section of the page: its purpose, its usage line, and every argument
and option as a Sphinx ``option`` description (a target of the ``option`` role, as in
``symdl derive --latex``), with its help text, its default value and its choices, all read
from the argument parser when the documentation is built.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass

from docutils import nodes
from docutils.statemachine import StringList

from symdl.publish.directives import SymdlDirective

__all__ = ["CommandsDirective", "OptionHelp", "describe_options"]

#: The actions that every parser has and the page states once: ``-h``/``--help``, ``--version``.
_IMPLICIT = (argparse._HelpAction, argparse._VersionAction)


@dataclass(frozen=True)
class OptionHelp:
    """One argument or option of a command, as its reference shows it.

    Attributes
    ----------
    names
        The option strings (``("--time-limit", "--timeout")``), or the one name of a
        positional argument (``("problem",)``).
    argument
        What follows each option string (``"SIZES"``, ``"{reject,decimal,binary}"``), or ``""``
        for a flag and a positional argument.
    help
        The help text, with argparse's ``%(default)s``-style fields filled in; ``""`` when the
        parser gives none.
    default
        The default value as text, for an option that takes a value and whose help does not
        already state it; ``None`` otherwise.
    choices
        The accepted values, as text, when the parser restricts them.

    Examples
    --------
    >>> OptionHelp(("--k",), "K", "the number of compositions", "12", ()).signature
    '--k K'
    """

    names: tuple[str, ...]
    argument: str
    help: str
    default: str | None
    choices: tuple[str, ...]

    @property
    def signature(self) -> str:
        """The option as it is typed, such as ``--time-limit SECONDS, --timeout SECONDS``."""
        return ", ".join(f"{name} {self.argument}".strip() for name in self.names)


def _argument(action: argparse.Action) -> str:
    """What follows an option string, as argparse's usage line writes it."""
    if action.nargs == 0:
        return ""
    if action.metavar is not None:
        metavar = " ".join(action.metavar) if isinstance(action.metavar, tuple) else action.metavar
    elif action.choices is not None:
        metavar = "{" + ",".join(map(str, action.choices)) + "}"
    else:
        metavar = action.dest.upper()
    if action.nargs == "?":
        return f"[{metavar}]"
    if action.nargs == "*":
        return f"[{metavar} ...]"
    if action.nargs == "+":
        return f"{metavar} [{metavar} ...]"
    if isinstance(action.nargs, int):
        return " ".join([metavar] * action.nargs)
    return metavar


def _help(action: argparse.Action, prog: str) -> str:
    """The help text with argparse's fields (``%(default)s``, ``%(prog)s``) filled in."""
    text = action.help or ""
    if text == argparse.SUPPRESS:
        return ""
    if "%" in text:
        fields = {name: value for name, value in vars(action).items() if value is not None}
        for name, value in list(fields.items()):
            if isinstance(value, list | tuple):
                fields[name] = ", ".join(map(str, value))
        text = text % {**fields, "prog": prog}
    return text


def _shown_default(action: argparse.Action, text: str) -> str | None:
    """The default worth stating: an option that takes a value, whose help does not say it."""
    default = action.default
    if action.nargs == 0 or default is None or default == argparse.SUPPRESS:
        return None
    if not action.option_strings or "default" in text.lower():
        return None
    if isinstance(default, float) and default.is_integer():
        return str(int(default))
    return str(default)


def describe_options(parser: argparse.ArgumentParser) -> list[OptionHelp]:
    """Every argument and option of ``parser``, in its order, as :class:`OptionHelp`.

    ``-h``/``--help`` and ``--version``, which every command has or which only the top level
    has, are left out; positional arguments come first, as in the usage line.

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="demo")
    >>> _ = parser.add_argument("file", help="the input")
    >>> _ = parser.add_argument("--mode", choices=["fast", "exact"], default="exact",
    ...                         help="how to count")
    >>> _ = parser.add_argument("--json", action="store_true", help="print JSON")
    >>> for option in describe_options(parser):
    ...     print(option.signature, "|", option.help, "|", option.default, "|", option.choices)
    file | the input | None | ()
    --mode {fast,exact} | how to count | exact | ('fast', 'exact')
    --json | print JSON | None | ()
    """
    actions = [a for a in parser._actions if not isinstance(a, _IMPLICIT)]
    positional = [a for a in actions if not a.option_strings]
    optional = [a for a in actions if a.option_strings]
    described = []
    for action in [*positional, *optional]:
        text = _help(action, parser.prog)
        names = tuple(action.option_strings) or (
            str(action.metavar) if action.metavar is not None else action.dest,
        )
        described.append(
            OptionHelp(
                names=names,
                argument=_argument(action) if action.option_strings else "",
                help=text,
                default=_shown_default(action, text),
                choices=tuple(map(str, action.choices)) if action.choices is not None else (),
            )
        )
    return described


def _sentence(text: str) -> str:
    """``text`` with a capital first letter and a full stop, as a sentence of the page."""
    text = text.strip()
    if not text:
        return text
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _plain(text: str) -> nodes.paragraph:
    """A paragraph shown exactly as written: option names keep their two hyphens."""
    paragraph = nodes.paragraph(text=text)
    paragraph["support_smartquotes"] = False
    return paragraph


def _values(paragraph: nodes.paragraph, label: str, values: Sequence[str]) -> None:
    """Append `` Default: 60.`` or `` Choices: a, b.`` to ``paragraph``, the values as code."""
    if paragraph.children:
        paragraph += nodes.Text(" ")
    paragraph += nodes.Text(f"{label}: ")
    for index, value in enumerate(values):
        if index:
            paragraph += nodes.Text(", ")
        paragraph += nodes.literal(text=value)
    paragraph += nodes.Text(".")


class CommandsDirective(SymdlDirective):
    """``symdl-commands``: every subcommand of ``symdl``, with every argument and option.

    Read from the command's own parsers when the documentation is built, so that the page
    lists exactly the commands and options that exist.  Each command is a section (titled
    ``symdl NAME``) holding its purpose, its usage line and a description of each argument and
    option: its help text, its default and its choices.  The options are Sphinx ``option``
    descriptions of the program ``symdl NAME``, which the ``option`` role links to.  An option
    without a help text is a build warning.  Put the directive at the end of a section: the
    commands become its subsections.
    """

    has_content = False

    def run(self) -> list[nodes.Node]:
        from symdl.cli import COMMANDS  # the package this module belongs to

        self.note_sources()
        sections: list[nodes.Node] = []
        for command in COMMANDS:
            program = f"symdl {command.NAME}"
            parser = argparse.ArgumentParser(prog=program, description=command.HELP)
            command.configure(parser)
            sections.append(self._command(program, command.HELP, parser))
        # the options that follow on the page belong to none of these programs
        self.env.ref_context.pop("std:program", None)
        return sections

    def _command(
        self, program: str, purpose: str, parser: argparse.ArgumentParser
    ) -> nodes.section:
        section = nodes.section(classes=["symdl-command"])
        section["names"].append(nodes.fully_normalize_name(program))
        self.state.document.note_implicit_target(section, section)
        section += nodes.title("", "", nodes.literal(text=program))
        section += _plain(_sentence(purpose))
        usage = parser.format_usage().removeprefix("usage: ").strip()
        block = nodes.literal_block(usage, usage)
        block["language"] = "text"
        section += block
        options = describe_options(parser)
        lines = [f".. program:: {program}", ""]
        for option in options:
            lines += [f".. option:: {option.signature}", ""]
        holder = nodes.container()
        self._parse("\n".join(lines), holder)
        descriptions = [node for node in holder.findall(nodes.Element) if _is_description(node)]
        for option, description in zip(options, descriptions, strict=True):
            paragraph = _plain(_sentence(option.help))
            if not option.help:
                self.warn(
                    f"the option {option.signature} of {program} has no help text; give "
                    f"add_argument(..., help='what it does') in its configure(parser)",
                    "commands",
                )
            if option.default is not None:
                _values(paragraph, "Default", [option.default])
            if option.choices:
                _values(paragraph, "Choices", option.choices)
            description.children[-1] += paragraph  # the description's content
        section.extend(holder.children)
        return section

    def _parse(self, text: str, into: nodes.Element) -> None:
        """Parse generated reStructuredText (names of options only) into ``into``."""
        source, _ = self.get_source_info()
        self.state.nested_parse(StringList(text.splitlines(), source=source), 0, into)


def _is_description(node: nodes.Element) -> bool:
    """Whether ``node`` is the description (``desc``) of one option."""
    return node.tagname == "desc" and node.get("objtype") == "option"

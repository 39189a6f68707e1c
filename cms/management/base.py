"""What Baken's management commands share: their help in the active language."""

from django.core.management.base import BaseCommand


class TranslatedCommand(BaseCommand):
    """A command whose ``help`` is a lazy translation, shown by ``--help`` in the active language.

    argparse formats a description with regular expressions, which need a ``str``: Django passes
    ``help`` on as it is, so it is turned into text here, when the parser is made.
    """

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.description = str(self.help) if self.help else None
        return parser

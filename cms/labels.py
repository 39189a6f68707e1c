"""Translated labels for model fields and blocks that are named after themselves.

A model field without a ``verbose_name`` is labelled with its name ("organisation"), a block
without a ``label`` with its capitalised name ("Question"). Giving them a translatable
``verbose_name=``/``label=`` argument would put that argument into the fields' and StreamFields'
deconstruction and so into a new migration, for no change to the database. Instead the label is
set on the field or block after it is made: it is what forms, listings, filters and the editor
show, in the admin's language, while the deconstruction (``Field._verbose_name``, a block's
constructor arguments) and so the migrations stay as they are. The English label is the one
Django or Wagtail would make from the name (tests/test_admin_translations.py checks this).
"""


def label_fields(model, **labels) -> None:
    """Translated ``verbose_name`` for fields of ``model`` that have none of their own."""
    for name, label in labels.items():
        field = model._meta.get_field(name)
        if field._verbose_name is not None:
            raise ValueError(f"{model.__name__}.{name} has its own verbose_name; translate that instead.")
        field.verbose_name = label


def label_blocks(block_class, **labels) -> None:
    """Translated labels for child blocks of ``block_class`` declared without a ``label``."""
    for name, label in labels.items():
        block = block_class.base_blocks[name]
        if "label" in block._constructor_args[1]:
            raise ValueError(f"{block_class.__name__}.{name} has its own label; translate that instead.")
        block.meta.label = label
        block.label = label

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Baken content")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cms.change_log.triggers import install_after_migrate as install_change_log_triggers
        from cms.localize_segments import install as install_translation_editor_labels
        from cms.search_index.fulltext import install_after_migrate as install_search_fulltext
        from cms.signal_handlers import ensure_content_locales
        from cms.translation_gate import install_save_target_guard

        post_migrate.connect(ensure_content_locales, sender=self)
        # After every migrate, put the triggers back: a SQLite migration that rebuilds a table drops them.
        post_migrate.connect(
            install_change_log_triggers, sender=self, dispatch_uid="baken-change-log-triggers"
        )
        post_migrate.connect(install_search_fulltext, sender=self, dispatch_uid="baken-search-fulltext")
        install_save_target_guard()
        install_translation_editor_labels()
        connect_channel_memos()


def connect_channel_memos() -> None:
    """A change to the channel registry in this process applies to its next request at once."""
    from django.db.models.signals import post_delete, post_save

    from cms.channels import selectors
    from cms.channels.models import Channel, ChannelKey

    def forget(**kwargs):
        selectors.forget()

    for model in (Channel, ChannelKey):
        post_save.connect(forget, sender=model, weak=False, dispatch_uid=f"baken-forget-{model.__name__}")
        post_delete.connect(
            forget, sender=model, weak=False, dispatch_uid=f"baken-forget-del-{model.__name__}"
        )

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Baken content")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cms.localize_segments import install as install_translation_editor_labels
        from cms.signal_handlers import ensure_content_locales
        from cms.translation_gate import install_save_target_guard

        post_migrate.connect(ensure_content_locales, sender=self)
        install_save_target_guard()
        install_translation_editor_labels()

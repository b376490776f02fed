from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "claims"
    verbose_name = "Claims and evidence"

    def ready(self):
        from claimtracker.choices import use_label_tables

        use_label_tables(self.get_models())

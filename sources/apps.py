from django.apps import AppConfig


class SourcesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sources"
    verbose_name = "Reports and sources"

    def ready(self):
        from claimtracker.choices import use_label_tables

        use_label_tables(self.get_models())

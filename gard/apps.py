from django.apps import AppConfig


class GardConfig(AppConfig):
    name = "gard"
    verbose_name = "Rare diseases"

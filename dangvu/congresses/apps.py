from django.apps import AppConfig


class CongressesConfig(AppConfig):
    name = "dangvu.congresses"
    label = "congresses"
    verbose_name = "Đại hội, nhiệm kỳ"

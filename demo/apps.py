from django.apps import AppConfig


class DemoConfig(AppConfig):
    # No models and no pages: the app exists for its `seed_demo` command.
    name = "demo"

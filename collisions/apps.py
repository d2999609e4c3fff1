from django.apps import AppConfig


class CollisionsConfig(AppConfig):
    name = "collisions"
    label = "collisions"

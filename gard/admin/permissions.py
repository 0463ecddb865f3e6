"""The Editors group: exactly the permissions to edit the site's content."""

from django.apps import apps as global_apps

EDITORS = "Editors"

# Models of the app that are not content: simple-history's records of changes (named
# Historical<Model>), which editors read and revert through the content models' own
# permissions and must never change or delete, the cache's bookkeeping, and what search derives
# from the content (gard/search/names.py rebuilds it).
NOT_CONTENT = {"contentgeneration", "searchname", "searchword"}


def content_model_names(apps=global_apps) -> list[str]:
    """The app's content models (lower-case names, as content types store them)."""
    return sorted(
        model._meta.model_name
        for model in apps.get_app_config("gard").get_models()
        if not model._meta.model_name.startswith("historical") and model._meta.model_name not in NOT_CONTENT
    )


def sync_editors_group(sender, apps=global_apps, **kwargs):
    """After every migrate: Editors may add, change, delete and view every content model, and nothing else.

    Nothing of users, groups, login attempts (django-axes) or the history records. Running after
    each migrate keeps the group in step as content models are added.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="gard", content_type__model__in=content_model_names(apps))
    )

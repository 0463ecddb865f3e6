"""The Editors group: exactly the permissions to edit the site's content."""

from django.apps import apps as global_apps

EDITORS = "Editors"


def sync_editors_group(sender, apps=global_apps, **kwargs):
    """After every migrate: Editors may add, change, delete and view every content model, and nothing else.

    Running after each migrate keeps the group in step as content models are added.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS)
    group.permissions.set(Permission.objects.filter(content_type__app_label="gard"))

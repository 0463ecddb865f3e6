"""The editors' admin, in the folder Django's admin autodiscovery imports (``gard.admin``).

- ``site``: the AdminSite (titles, the overdue-review panel on its home page);
- ``registrations``: a ModelAdmin per content model, the disease with its rows as inlines;
- ``base``: the ModelAdmins those build on (history kept with every save, no stale save, 404 for unknown ids);
- ``history``: what changed between versions of a page, and the transaction a save runs in;
- ``versions``: what a change form was opened on, and who changed what since (the stale-save check);
- ``forms``: the change form that refuses a stale save, and the disease form;
- ``restore``: restoring a disease page, with its rows, as it was at one of its versions;
- ``throttling``: django-axes' lock per address, its lockout page and the client address it counts;
- ``permissions``: the Editors group.

Nothing is imported here: ``site`` is imported while Django sets up ``admin.site``, before anything may be
registered on it, so ``GardConfig.ready()`` imports ``registrations`` once the site exists.
"""

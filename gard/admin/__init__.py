"""The editors' admin, in the folder Django's admin autodiscovery imports (``gard.admin``).

- ``site``: the AdminSite (titles, the overdue-review panel on its home page);
- ``registrations``: a ModelAdmin per content model, the disease with its rows as inlines;
- ``base``: the ModelAdmins those build on (history kept with every save);
- ``history``: what changed between versions of a page, and the transaction a save runs in;
- ``forms``: the disease form that refuses a stale save;
- ``throttling``: django-axes' lockout page and the client address it counts;
- ``permissions``: the Editors group.

Nothing is imported here: ``site`` is imported while Django sets up ``admin.site``, before anything may be
registered on it, so ``GardConfig.ready()`` imports ``registrations`` once the site exists.
"""

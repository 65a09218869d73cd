"""credsite's own Jinja2 templates and browser scripts, shipped inside the package as data.

A site overrides them with a ``templates/`` folder beside its ``content/`` (or ``--templates``).
"""

"""The content model: ``site.yaml``, the catalog, plain pages, award batches and status lists as
they are stored in a site's ``content/`` folder, read strictly and checked in one pass."""

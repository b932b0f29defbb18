"""The database schema, one module per part of the product; portal/migrations.py orders it."""

"""The lrs's schema history (services/common/migrations.py runs it)."""

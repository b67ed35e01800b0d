from connections import admin_gis  # noqa: F401

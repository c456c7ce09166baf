"""Moves the files of ready data exports, built before STORAGES["exports"] existed, out of
default storage (MEDIA_ROOT, served publicly) into the private storage under the same
name, so they stay downloadable and are no longer public. (Expired and failed exports
have no file: the old code deleted them.)"""

from django.db import migrations


def exports_move_to_private_storage(apps, schema_editor) -> None:
    from django.core.files.storage import default_storage, storages

    PrivacyRequest = apps.get_model("privacy", "PrivacyRequest")
    private = storages["exports"]
    ready = PrivacyRequest.objects.filter(kind="export", state="ready").exclude(file_name="")
    for pk, name in ready.values_list("pk", "file_name").iterator():
        if not default_storage.exists(name):
            continue
        if not private.exists(name):
            with default_storage.open(name, "rb") as source:
                saved = private.save(name, source)
            if saved != name:
                PrivacyRequest.objects.filter(pk=pk).update(file_name=saved)
        default_storage.delete(name)


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0004_visitorsalt"),
    ]

    operations = [
        migrations.RunPython(exports_move_to_private_storage, migrations.RunPython.noop),
    ]

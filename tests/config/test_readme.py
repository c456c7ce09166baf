"""The README documents every setting read from the environment and shows real screenshots."""

import re

from tests.config.conftest import BASE_DIR, settings_variables

README = (BASE_DIR / "README.md").read_text()


def test_readme_configuration_table_lists_every_environment_variable():
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", README, flags=re.MULTILINE))

    assert documented == settings_variables()


def test_readme_images_exist():
    images = re.findall(r'<img src="([^"]+)"', README)

    assert images
    for image in images:
        assert (BASE_DIR / image).is_file(), image

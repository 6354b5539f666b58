"""Which files go into the wheel (the metadata is in pyproject.toml).

The site's folders stay at the top of the checkout (templates/, static/, locale/, fixtures/:
STYLE.md) and are shipped inside the package as ``wardmodels/_site/<folder>``, so that an
installed site finds them without a checkout (``settings.SITE_DIR``). A mapping needs a list
of packages, which pyproject.toml's ``packages.find`` cannot combine with: hence this file.
"""

from setuptools import find_packages, setup

SITE_FOLDERS = ("templates", "static", "locale", "fixtures")

setup(
    packages=[
        *find_packages(include=["wardmodels*", "registry*", "participation*", "campaigns*"]),
        *(f"wardmodels._site.{folder}" for folder in SITE_FOLDERS),
    ],
    package_dir={f"wardmodels._site.{folder}": folder for folder in SITE_FOLDERS},
    package_data={f"wardmodels._site.{folder}": ["**/*"] for folder in SITE_FOLDERS},
    exclude_package_data={"": ["*.pyc", "__pycache__/*"]},
)

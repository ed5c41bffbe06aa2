"""Where the package's bundled files are found (normalize.resources)."""
from __future__ import annotations

import subprocess
import sys
from importlib import resources
from pathlib import Path

from normalize import resources as res

ROOT = Path(__file__).resolve().parent.parent


def test_the_package_folder_is_what_importlib_resources_gives():
    found = res._package()
    assert type(found) is type(resources.files("normalize"))
    assert found == resources.files("normalize")
    assert res.corpus("languages", "en.yaml").is_file()


def test_a_check_does_not_import_importlib_resources():
    """Nor tempfile, which it imports (~4 ms of a cold start)."""
    script = ("import sys, normalize\n"
              "normalize.check('The minister said on Monday.', lang='en', ignore='toponym')\n"
              "print(sorted({'importlib.resources', 'tempfile'} & set(sys.modules)))\n")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"

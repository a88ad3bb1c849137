"""The `dangvu` console script: Django's manage.py under the project's own name."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    # `dangvu create-token` runs the `create_token` command: dashes read better on a console.
    if len(sys.argv) > 1 and not sys.argv[1].startswith("-"):
        sys.argv[1] = sys.argv[1].replace("-", "_")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

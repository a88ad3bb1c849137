#!/usr/bin/env python
"""Django's command-line utility; `dangvu` is the same thing as a console script."""

from config.manage import main

if __name__ == "__main__":
    main()

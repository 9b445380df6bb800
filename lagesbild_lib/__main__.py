import sys

from lagesbild_lib.cli import main

sys.exit(main())

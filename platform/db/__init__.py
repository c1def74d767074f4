"""Database access: the Piccolo engine, the unit of work and its repositories.

Piccolo finds its engine through PICCOLO_CONF; point it at govstat's
composition root before any table class is created.
"""

import os

os.environ.setdefault("PICCOLO_CONF", "govstat.platform.root.piccolo_conf")

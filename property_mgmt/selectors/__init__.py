"""Every non-trivial read of 红色物业: ledgers (``ledgers``), figures (``stats``), periods."""

from .ledgers import *  # noqa: F403
from .periods import *  # noqa: F403
from .stats import *  # noqa: F403

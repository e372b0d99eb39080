"""Every non-trivial read of the three supports, already scoped (``visible_to``) and
prefetched for its page, one module per topic."""

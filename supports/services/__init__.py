"""Every write of the three supports, one module per topic: ``centres``, ``studio``,
``funds``, ``careers``. Each service is keyword-only, runs in a transaction, checks the
actor's right and writes its audit row (``detail["event"]`` names what happened)."""

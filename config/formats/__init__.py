"""Per-language format overrides (``FORMAT_MODULE_PATH``). A browser's ``<input type=date>``
accepts only ISO dates (2026-12-02) and ``datetime-local`` only ``2026-12-02T08:30``: Django
renders a date widget with the first input format of the language, which for zh-Hans is
``2026/12/02``, so every date field of every form showed empty and an untouched edit form erased
the stored date. Here ISO comes first in every language; the other formats stay accepted."""

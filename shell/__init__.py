"""The portal's outer shell, on top of every app: home pages by role, navigation, the error
pages and health check, and the orchestration of ``seed_demo``."""

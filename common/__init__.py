"""Cross-cutting helpers every app may use: Excel export and import, list pages, paging, the
API's error contract and pagination, the handling-unit field set. It imports no app of the
portal; apps import it."""

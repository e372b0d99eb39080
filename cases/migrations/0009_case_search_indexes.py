"""District-wide case search: a GIN index over the character pairs of title and address, and
the number by its beginning and by its end.

Not pg_trgm: a LIKE pattern yields trigrams only from three characters on, and Chinese words
are mostly two ('漏水', '垃圾'), so a trigram index cannot find them; and the numbers
(SJ + date + zero-padded id) share their trigrams ('000', '202'), so a trigram lookup of a
number reads nearly every row. People look a case up by its whole number or its last digits:
two btree indexes answer both."""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
from django.conf import settings
from django.db import migrations, models

#: The upper-cased pairs of characters of each text, each text on its own (no pair across
#: them): a text containing a search term contains every pair of the term.
PAIRS = """
CREATE OR REPLACE FUNCTION cases_search_bigrams(title text, address text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT COALESCE(array_agg(DISTINCT substr(t, i, 2)), '{}')
    FROM (SELECT upper(COALESCE(title, '')) AS t
          UNION ALL SELECT upper(COALESCE(address, ''))) s,
         generate_series(1, length(t) - 1) AS i
$$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_notification_event_codes_and_params"),
        ("governance", "0003_handling_units"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunSQL(PAIRS, "DROP FUNCTION IF EXISTS cases_search_bigrams(text, text);"),
        migrations.AddIndex(
            model_name="case",
            index=django.contrib.postgres.indexes.GinIndex(
                models.Func(
                    models.F("title"),
                    models.F("address"),
                    function="cases_search_bigrams",
                    output_field=django.contrib.postgres.fields.ArrayField(
                        base_field=models.TextField(), size=None
                    ),
                ),
                name="case_search_bigrams",
            ),
        ),
        # ``number__istartswith`` and the reversed number's prefix (cases.selectors): SQL, as
        # Django puts an expression's operator class inside its parentheses.
        migrations.RunSQL(
            "CREATE INDEX case_number_prefix ON cases_case "
            '((UPPER("number"::text)) text_pattern_ops);'
            "CREATE INDEX case_number_suffix ON cases_case "
            '((REVERSE(UPPER("number"::text))) text_pattern_ops);',
            "DROP INDEX IF EXISTS case_number_prefix; DROP INDEX IF EXISTS case_number_suffix;",
        ),
    ]

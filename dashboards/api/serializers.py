"""The shapes of the stats API (documented in the schema; the views build plain dicts)."""

from rest_framework import serializers


class SeedFigureSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="DESIGN.md's key, e.g. visits")
    label = serializers.CharField()  # type: ignore[assignment]
    value = serializers.FloatField(help_text="counted live from the records in the caller's scope")
    seed = serializers.FloatField(help_text="the report's number")
    drill = serializers.CharField(help_text="URL of the rows behind the value")
    definition = serializers.CharField()


class SeedFiguresSerializer(serializers.Serializer):
    figures = SeedFigureSerializer(many=True)


class PeriodSerializer(serializers.Serializer):
    kind = serializers.CharField()
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    label = serializers.CharField()  # type: ignore[assignment]


class TerritorySerializer(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]
    level = serializers.CharField(
        help_text="district, street, community, union, department or company"
    )
    area = serializers.IntegerField(allow_null=True)
    unit = serializers.CharField(allow_null=True)


class KpiSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    value = serializers.FloatField(allow_null=True)
    unit = serializers.CharField()
    previous = serializers.FloatField(allow_null=True)
    year_before = serializers.FloatField(allow_null=True)
    drill = serializers.CharField()
    definition = serializers.CharField()


class CellSerializer(serializers.Serializer):
    value = serializers.JSONField()
    url = serializers.CharField(allow_null=True)


class TableSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    headers = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=CellSerializer(many=True))


class CaseStatsSerializer(serializers.Serializer):
    territory = TerritorySerializer()
    period = PeriodSerializer()
    previous = PeriodSerializer()
    year_before = PeriodSerializer()
    kpis = KpiSerializer(many=True)
    tables = TableSerializer(many=True)
    computed_at = serializers.DateTimeField()


class RankedSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    rank = serializers.IntegerField(allow_null=True)
    score = serializers.FloatField(allow_null=True)
    inputs = serializers.DictField(child=serializers.FloatField(allow_null=True))
    cases = serializers.IntegerField()
    visits = serializers.IntegerField(allow_null=True)
    workers = serializers.IntegerField(allow_null=True)
    links = serializers.DictField(child=serializers.CharField())


class RankingSerializer(serializers.Serializer):
    subject = serializers.CharField()
    title = serializers.CharField()
    weights = serializers.DictField(child=serializers.IntegerField())
    formula = serializers.CharField()
    total = serializers.IntegerField(help_text="units with a rank")
    units = RankedSerializer(many=True)


class RankingsSerializer(serializers.Serializer):
    territory = TerritorySerializer()
    period = PeriodSerializer()
    rankings = RankingSerializer(many=True)

from rest_framework import serializers

from governance.models import Area


class AreaSerializer(serializers.ModelSerializer):
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    parent_path = serializers.SerializerMethodField()

    class Meta:
        model = Area
        fields = [
            "id",
            "name",
            "code",
            "level",
            "level_label",
            "depth",
            "path",
            "parent_path",
            "numchild",
            "is_active",
        ]

    def get_parent_path(self, area: Area) -> str | None:
        return area.path[: -Area.steplen] or None

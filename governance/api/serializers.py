from rest_framework import serializers

from governance.models import (
    Area,
    Gender,
    Household,
    NeedsLedger,
    PartyMember,
    PartyOrg,
    RelationToHead,
    Resident,
)

from .fields import MaskedField


class AreaSerializer(serializers.ModelSerializer):
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    parent_path = serializers.SerializerMethodField()

    class Meta:
        model = Area
        fields = [
            "id",
            "name",
            "name_initials",
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


class CoverageSerializer(serializers.Serializer):
    estates = serializers.IntegerField()
    estates_covered = serializers.IntegerField()
    estate_share = serializers.FloatField(allow_null=True)
    buildings = serializers.IntegerField()
    buildings_covered = serializers.IntegerField()
    building_share = serializers.FloatField(allow_null=True)


class PartyOrgSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    sector_label = serializers.CharField(source="get_sector_display", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    parent_path = serializers.SerializerMethodField()

    class Meta:
        model = PartyOrg
        fields = [
            "id",
            "name",
            "name_initials",
            "kind",
            "kind_label",
            "sector",
            "sector_label",
            "area",
            "area_name",
            "area_path",
            "department",
            "company",
            "secretary",
            "founded_on",
            "depth",
            "path",
            "parent_path",
            "numchild",
            "is_active",
        ]

    def get_parent_path(self, org: PartyOrg) -> str | None:
        return org.path[: -PartyOrg.steplen] or None


class HouseholdSerializer(serializers.ModelSerializer):
    building_name = serializers.CharField(source="building.name", read_only=True)
    address = serializers.CharField(read_only=True)

    class Meta:
        model = Household
        fields = [
            "id",
            "building",
            "building_name",
            "area_path",
            "unit",
            "room",
            "address",
            "head_name",
            "note",
            "is_active",
            "updated_at",
            "version",
        ]


class ResidentSerializer(serializers.ModelSerializer):
    id_number = MaskedField("id_number")
    phone = MaskedField("phone")
    gender_label = serializers.CharField(source="get_gender_display", read_only=True)
    relation_label = serializers.CharField(source="get_relation_display", read_only=True)
    tag_labels = serializers.ListField(source="get_tags_display", read_only=True)

    class Meta:
        model = Resident
        fields = [
            "id",
            "household",
            "area_path",
            "name",
            "gender",
            "gender_label",
            "birth_date",
            "relation",
            "relation_label",
            "id_number",
            "phone",
            "tags",
            "tag_labels",
            "is_active",
            "version",
        ]


class PartyMemberSerializer(serializers.ModelSerializer):
    id_number = MaskedField("id_number")
    phone = MaskedField("phone")
    org_name = serializers.CharField(source="org.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = PartyMember
        fields = [
            "id",
            "name",
            "gender",
            "birth_date",
            "id_number",
            "phone",
            "org",
            "org_name",
            "area_path",
            "household",
            "status",
            "status_label",
            "joined_on",
            "employer",
            "household_plaque",
            "model_post",
            "is_active",
            "version",
        ]


class NeedsLedgerSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = NeedsLedger
        fields = [
            "id",
            "household",
            "area_path",
            "kind",
            "kind_label",
            "description",
            "status",
            "status_label",
            "taken_by",
            "result",
            "raised_on",
            "taken_on",
            "done_on",
            "version",
        ]
        read_only_fields = fields


class NeedCreateSerializer(serializers.Serializer):
    household = serializers.IntegerField()
    kind = serializers.CharField()
    description = serializers.CharField(max_length=1000)
    raised_on = serializers.DateField(required=False, allow_null=True)


VERSION_HELP = (
    "The version you read (from GET); a stale one is refused with 409 and nothing changes."
)


class NeedTakeSerializer(serializers.Serializer):
    taken_by = serializers.CharField(max_length=100, required=False, allow_blank=True)
    version = serializers.IntegerField(min_value=1, required=False, help_text=VERSION_HELP)


class NeedCompleteSerializer(serializers.Serializer):
    result = serializers.CharField(max_length=500)
    version = serializers.IntegerField(min_value=1, required=False, help_text=VERSION_HELP)


class HouseholdUpdateSerializer(serializers.Serializer):
    """A household's edit: the fields not sent keep their value; ``version`` is required."""

    unit = serializers.CharField(max_length=10, required=False, allow_blank=True)
    room = serializers.CharField(max_length=10, required=False)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)


class ResidentUpdateSerializer(serializers.Serializer):
    """A resident's edit: the fields not sent keep their value (an ID number or phone sent
    empty is cleared); ``version`` is required."""

    name = serializers.CharField(max_length=50, required=False)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False)
    birth_date = serializers.DateField(required=False, allow_null=True)
    id_number = serializers.CharField(max_length=18, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    relation = serializers.ChoiceField(choices=RelationToHead.choices, required=False)
    tags = serializers.ListField(child=serializers.CharField(max_length=24), required=False)
    is_active = serializers.BooleanField(required=False)
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)

from rest_framework import serializers

from accounts.models import AuditLog


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label="用户名", max_length=150)
    password = serializers.CharField(
        label="密码", style={"input_type": "password"}, trim_whitespace=False
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class GrantSerializer(serializers.Serializer):
    role = serializers.CharField()
    role_label = serializers.CharField()
    scope = serializers.CharField()


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField()
    grants = GrantSerializer(many=True)


class AuditEventSerializer(serializers.ModelSerializer):
    action_label = serializers.CharField(source="get_action_display")
    outcome_label = serializers.CharField(source="get_outcome_display")

    class Meta:
        model = AuditLog
        fields = [
            "id",
            "at",
            "username",
            "action",
            "action_label",
            "object_type",
            "object_id",
            "object_repr",
            "outcome",
            "outcome_label",
            "ip",
        ]

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from accounts.models import AuditLog


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label="用户名", max_length=150)
    password = serializers.CharField(
        label="密码", style={"input_type": "password"}, trim_whitespace=False
    )
    name = serializers.CharField(
        label="令牌名称",
        max_length=100,
        required=False,
        allow_blank=True,
        help_text="用哪个客户端、做什么用（例如“热线对接脚本”）；不填则按签发时间命名。",
    )
    expires_in_days = serializers.IntegerField(
        label="有效期（天）",
        required=False,
        min_value=1,
        help_text="不填则用默认有效期（API_TOKEN_DEFAULT_DAYS，默认 90 天）。",
    )
    otp_code = serializers.CharField(
        label="验证码",
        max_length=32,
        required=False,
        allow_blank=True,
        help_text="已绑定验证器的账号（区管理员、安全管理员、审计员必须绑定）："
        "验证器中的 6 位数字或一个恢复码。",
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="只在签发时返回一次，门户不保存明文。")
    name = serializers.CharField()
    prefix = serializers.CharField(help_text="令牌的前几位，用于在令牌列表中辨认。")
    expires_at = serializers.DateTimeField()


class GrantSerializer(serializers.Serializer):
    role = serializers.CharField()
    role_label = serializers.CharField()
    scope = serializers.CharField()


# One object, though the viewset answers it as its "list" (GET /me/).
@extend_schema_serializer(many=False)
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

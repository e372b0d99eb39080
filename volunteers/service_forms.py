"""Forms of the volunteer service: filters and input. They parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.models import Area, Department, VulnerableTag
from governance.places import AreaPathChoiceField
from grids.models import Grid, Station

from .forms import ALL, DATE, _choices
from .models import (
    ActivityKind,
    AttendanceState,
    MicroKind,
    PointsReason,
    TeamKind,
    VolunteerSource,
    VolunteerTeam,
    WishState,
)

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
STARS = [*ALL, *[(str(n), "★" * n) for n in range(1, 6)]]


class _Filter(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    community = AreaPathChoiceField(
        label=_("社区"), required=False, queryset=Area.objects.none(), empty_label=_("全部")
    )

    def __init__(self, *args: Any, communities: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if communities is not None:
            self.fields["community"].queryset = communities  # type: ignore[attr-defined]


class TeamFilterForm(_Filter):
    kind = forms.ChoiceField(
        label=_("队伍类型"), required=False, choices=_choices(TeamKind.choices)
    )


class VolunteerFilterForm(_Filter):
    source = forms.ChoiceField(
        label=_("身份"), required=False, choices=_choices(VolunteerSource.choices)
    )
    stars = forms.ChoiceField(label=_("星级（及以上）"), required=False, choices=STARS)
    team = forms.IntegerField(label=_("队伍编号"), required=False, min_value=1)

    def clean_team(self) -> Any:
        return self.cleaned_data.get("team")


class ActivityFilterForm(_Filter):
    kind = forms.MultipleChoiceField(
        label=_("活动类型"), required=False, choices=ActivityKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    tag = forms.ChoiceField(
        label=_("服务对象"), required=False, choices=_choices(VulnerableTag.choices)
    )
    station_only = forms.BooleanField(label=_("仅红色驿站"), required=False)
    active = forms.BooleanField(label=_("不含已取消"), required=False)
    team = forms.IntegerField(label=_("队伍编号"), required=False, min_value=1)
    since = forms.DateField(label=_("开始日期自"), required=False, widget=DATE)
    until = forms.DateField(label=_("至"), required=False, widget=DATE)


class AttendanceFilterForm(_Filter):
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=_choices(AttendanceState.choices)
    )
    activity = forms.IntegerField(label=_("活动编号"), required=False, min_value=1)
    volunteer = forms.IntegerField(label=_("志愿者编号"), required=False, min_value=1)
    since = forms.DateField(label=_("活动日期自"), required=False, widget=DATE)
    until = forms.DateField(label=_("至"), required=False, widget=DATE)


class PointsFilterForm(_Filter):
    reason = forms.ChoiceField(
        label=_("事项"), required=False, choices=_choices(PointsReason.choices)
    )
    volunteer = forms.IntegerField(label=_("志愿者编号"), required=False, min_value=1)
    since = forms.DateField(label=_("日期自"), required=False, widget=DATE)
    until = forms.DateField(label=_("至"), required=False, widget=DATE)


class ShopFilterForm(_Filter):
    pass


class WishFilterForm(_Filter):
    state = forms.ChoiceField(label=_("状态"), required=False, choices=_choices(WishState.choices))
    waiting_over = forms.IntegerField(
        label=_("待认领超过（天）"), required=False, min_value=1, max_value=3650
    )
    since = forms.DateField(label=_("提交日期自"), required=False, widget=DATE)
    until = forms.DateField(label=_("至"), required=False, widget=DATE)


class MicroFilterForm(_Filter):
    kind = forms.ChoiceField(label=_("类别"), required=False, choices=_choices(MicroKind.choices))


# --- Input ------------------------------------------------------------------------------------


class TeamForm(forms.Form):
    community = AreaPathChoiceField(label=_("所属社区"), queryset=Area.objects.none())
    name = forms.CharField(label=_("队伍名称"), max_length=100)
    kind = forms.ChoiceField(label=_("队伍类型"), choices=TeamKind.choices)
    grid = forms.ModelChoiceField(label=_("服务网格"), queryset=Grid.objects.none(), required=False)
    focus = forms.CharField(label=_("服务方向"), max_length=200, required=False)
    founded_on = forms.DateField(label=_("成立日期"), required=False, widget=DATE)

    def __init__(self, *args: Any, communities: Any, grids: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities  # type: ignore[attr-defined]
        self.fields["grid"].queryset = grids  # type: ignore[attr-defined]


class VolunteerForm(forms.Form):
    community = AreaPathChoiceField(label=_("所属社区"), queryset=Area.objects.none())
    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("手机号"), max_length=20)
    skills = forms.CharField(label=_("特长"), max_length=200, required=False)
    availability = forms.CharField(label=_("可服务时间"), max_length=100, required=False)
    team = forms.ModelChoiceField(
        label=_("加入队伍"), queryset=VolunteerTeam.objects.none(), required=False
    )

    def __init__(self, *args: Any, communities: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities  # type: ignore[attr-defined]
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]


class ActivityForm(forms.Form):
    community = AreaPathChoiceField(label=_("所属社区"), queryset=Area.objects.none())
    title = forms.CharField(label=_("活动名称"), max_length=120)
    kind = forms.ChoiceField(label=_("活动类型"), choices=ActivityKind.choices)
    programme = forms.CharField(label=_("品牌项目/宣讲主题"), max_length=60, required=False)
    team = forms.ModelChoiceField(
        label=_("组织队伍"), queryset=VolunteerTeam.objects.none(), required=False
    )
    organiser_unit = forms.ModelChoiceField(
        label=_("组织单位"), queryset=Department.objects.none(), required=False
    )
    station = forms.ModelChoiceField(
        label=_("红色驿站"), queryset=Station.objects.none(), required=False
    )
    place = forms.CharField(label=_("活动地点"), max_length=200, required=False)
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DATETIME)
    capacity = forms.IntegerField(label=_("招募人数"), min_value=1, max_value=1000, initial=20)
    target_tags = forms.MultipleChoiceField(
        label=_("服务对象"), choices=VulnerableTag.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    description = forms.CharField(
        label=_("活动内容"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, *args: Any, communities: Any, teams: Any, stations: Any, units: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities  # type: ignore[attr-defined]
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        self.fields["station"].queryset = stations  # type: ignore[attr-defined]
        self.fields["organiser_unit"].queryset = units  # type: ignore[attr-defined]


class HoursForm(forms.Form):
    hours = forms.DecimalField(
        label=_("服务时长（小时）"), max_digits=4, decimal_places=1, required=False, min_value=0
    )


class ServedForm(forms.Form):
    attendance_count = forms.IntegerField(label=_("听众人次"), min_value=0, required=False)


class PhotoForm(forms.Form):
    photo = forms.ImageField(label=_("照片"))


class ShopItemForm(forms.Form):
    community = AreaPathChoiceField(label=_("所属社区"), queryset=Area.objects.none())
    name = forms.CharField(label=_("物品名称"), max_length=100)
    points = forms.IntegerField(label=_("所需积分"), min_value=1)
    stock = forms.IntegerField(label=_("库存"), min_value=0)

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities  # type: ignore[attr-defined]


class RedeemForm(forms.Form):
    item = forms.IntegerField(min_value=1)
    quantity = forms.IntegerField(label=_("数量"), min_value=1, max_value=100, initial=1)


class WishForm(forms.Form):
    community = AreaPathChoiceField(label=_("所属社区"), queryset=Area.objects.none())
    beneficiary = forms.CharField(label=_("心愿人"), max_length=50)
    title = forms.CharField(label=_("心愿"), max_length=100)
    description = forms.CharField(
        label=_("详细说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    grid = forms.ModelChoiceField(label=_("网格"), queryset=Grid.objects.none(), required=False)

    def __init__(self, *args: Any, communities: Any, grids: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities  # type: ignore[attr-defined]
        self.fields["grid"].queryset = grids  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), max_length=500, required=False)


class MicroServiceForm(forms.Form):
    community = AreaPathChoiceField(label=_("所属社区"), queryset=Area.objects.none())
    kind = forms.ChoiceField(label=_("类别"), choices=MicroKind.choices)
    title = forms.CharField(label=_("服务名称"), max_length=100)
    provider = forms.CharField(label=_("提供方"), max_length=120, required=False)
    description = forms.CharField(
        label=_("服务内容"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities  # type: ignore[attr-defined]


class MicroRecordForm(forms.Form):
    resident_name = forms.CharField(label=_("服务对象"), max_length=50)
    served_on = forms.DateField(label=_("服务日期"), widget=DATE)
    note = forms.CharField(label=_("服务情况"), max_length=300, required=False)


class PhoneForm(forms.Form):
    phone = forms.CharField(label=_("手机号"), max_length=20)

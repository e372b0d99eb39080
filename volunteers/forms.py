"""Forms parse input only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import Area, Department, NeedKind, NeedsLedger, PartyMember
from governance.places import AreaPathChoiceField
from grids.models import Grid

from .models import (
    Assessment,
    CampaignDuty,
    CheckInState,
    CommunityNeed,
    MemberCheckIn,
    NeedSource,
    NeedState,
    PersonKind,
    ProjectState,
    Resource,
    ResourceKind,
    ServiceArea,
    TaskKind,
    UnitType,
)
from .workflow import TRANSITIONS

ALL = [("", _("全部"))]
DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"})


def _choices(choices: Any) -> list[tuple[str, Any]]:
    return [*ALL, *choices]


def _year_choices() -> list[tuple[str, Any]]:
    year = timezone.localdate().year
    return [*ALL, *((str(y), str(y)) for y in range(year + 1, year - 5, -1))]


class ScopedForm(forms.Form):
    """A form whose community and unit choices come from the actor's scope."""

    def __init__(
        self, *args: Any, communities: Any = None, departments: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name in ("community",):
            if name in self.fields and communities is not None:
                self.fields[name].queryset = communities  # type: ignore[attr-defined]
        for name in ("department", "lead_department", "employer_department"):
            if name in self.fields and departments is not None:
                self.fields[name].queryset = departments  # type: ignore[attr-defined]
        if "partners" in self.fields and departments is not None:
            self.fields["partners"].queryset = departments  # type: ignore[attr-defined]


# --- Filters ------------------------------------------------------------------------------------


class CheckinFilterForm(ScopedForm):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None)
    community = AreaPathChoiceField(label=_("社区"), required=False, queryset=Area.objects.none())
    department = forms.ModelChoiceField(
        label=_("单位"), required=False, queryset=Department.objects.none()
    )
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=_choices(CheckInState.choices)
    )
    unit_type = forms.ChoiceField(
        label=_("单位类型"), required=False, choices=_choices(UnitType.choices)
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices()  # type: ignore[attr-defined]


class ResourceFilterForm(ScopedForm):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    community = AreaPathChoiceField(label=_("社区"), required=False, queryset=Area.objects.none())
    department = forms.ModelChoiceField(
        label=_("单位"), required=False, queryset=Department.objects.none()
    )
    kind = forms.ChoiceField(
        label=_("资源类别"), required=False, choices=_choices(ResourceKind.choices)
    )


class NeedFilterForm(ScopedForm):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    community = AreaPathChoiceField(label=_("社区"), required=False, queryset=Area.objects.none())
    kind = forms.ChoiceField(
        label=_("需求类别"), required=False, choices=_choices(NeedKind.choices)
    )
    source = forms.ChoiceField(
        label=_("来源"), required=False, choices=_choices(NeedSource.choices)
    )
    state = forms.ChoiceField(label=_("状态"), required=False, choices=_choices(NeedState.choices))


class ProjectFilterForm(ScopedForm):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    community = AreaPathChoiceField(label=_("社区"), required=False, queryset=Area.objects.none())
    lead_department = forms.ModelChoiceField(
        label=_("牵头单位"), required=False, queryset=Department.objects.none()
    )
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=_choices(ProjectState.choices)
    )
    overdue = forms.BooleanField(label=_("有超期节点"), required=False)


class MemberFilterForm(ScopedForm):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    community = AreaPathChoiceField(label=_("社区"), required=False, queryset=Area.objects.none())
    employer_department = forms.ModelChoiceField(
        label=_("工作单位"), required=False, queryset=Department.objects.none()
    )
    service_area = forms.ChoiceField(
        label=_("服务领域"), required=False, choices=_choices(ServiceArea.choices)
    )
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[*ALL, ("active", _("在册")), ("ended", _("已转出"))],
    )


class FeedbackFilterForm(ScopedForm):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None)
    employer = forms.CharField(label=_("工作单位"), required=False, max_length=120)
    assessment = forms.ChoiceField(
        label=_("社区评价"), required=False, choices=_choices(Assessment.choices)
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices()  # type: ignore[attr-defined]


class CampaignFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    active_on = forms.DateField(label=_("进行中（日期）"), required=False, widget=DATE)


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("身份"), required=False, choices=_choices(PersonKind.choices))
    campaign = forms.IntegerField(label=_("专项行动编号"), required=False, min_value=1)


# --- Input --------------------------------------------------------------------------------------


class CheckinForm(ScopedForm):
    department = forms.ModelChoiceField(label=_("报到单位"), queryset=Department.objects.none())
    unit_type = forms.ChoiceField(label=_("单位类型"), choices=UnitType.choices)
    community = AreaPathChoiceField(label=_("报到社区"), queryset=Area.objects.none())
    year = forms.IntegerField(label=_("报到年度"), min_value=2000, max_value=2100)
    contact_name = forms.CharField(label=_("联系人"), max_length=50)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    commitments = forms.CharField(
        label=_("服务承诺"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class ResourceForm(forms.Form):
    kind = forms.ChoiceField(label=_("资源类别"), choices=ResourceKind.choices)
    name = forms.CharField(label=_("资源名称"), max_length=100)
    quantity = forms.DecimalField(
        label=_("数量"), required=False, max_digits=12, decimal_places=2, min_value=0
    )
    unit = forms.CharField(label=_("计量单位"), max_length=12, required=False)
    description = forms.CharField(label=_("说明"), max_length=500, required=False)


class AgreementForm(forms.Form):
    number = forms.CharField(label=_("协议编号"), max_length=40)
    signed_on = forms.DateField(label=_("签订日期"), widget=DATE)
    starts_on = forms.DateField(label=_("协议起始日"), widget=DATE)
    ends_on = forms.DateField(label=_("协议终止日"), widget=DATE)
    terms = forms.CharField(label=_("协议内容"), widget=forms.Textarea(attrs={"rows": 4}))


class NeedForm(ScopedForm):
    community = AreaPathChoiceField(label=_("社区"), queryset=Area.objects.none())
    kind = forms.ChoiceField(label=_("需求类别"), choices=NeedKind.choices)
    title = forms.CharField(label=_("需求名称"), max_length=100)
    description = forms.CharField(
        label=_("需求描述"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    raised_on = forms.DateField(label=_("提出日期"), required=False, widget=DATE)


class DrawForm(forms.Form):
    entries = forms.ModelMultipleChoiceField(
        label=_("台账需求"),
        queryset=NeedsLedger.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, entries: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["entries"]
        field.queryset = entries
        field.label_from_instance = lambda e: (
            f"{e.raised_on:%Y-%m-%d} {e.get_kind_display()}：{e.description[:60]}"
        )


class ProjectForm(ScopedForm):
    community = AreaPathChoiceField(label=_("社区"), queryset=Area.objects.none())
    title = forms.CharField(label=_("项目名称"), max_length=100)
    description = forms.CharField(
        label=_("项目内容"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    needs = forms.ModelMultipleChoiceField(
        label=_("对应需求"), queryset=CommunityNeed.objects.none(), required=False
    )
    resources = forms.ModelMultipleChoiceField(
        label=_("使用资源"), queryset=Resource.objects.none(), required=False
    )
    lead_department = forms.ModelChoiceField(
        label=_("牵头单位"), queryset=Department.objects.none()
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("协办单位"), queryset=Department.objects.none(), required=False
    )
    budget = forms.DecimalField(
        label=_("预算（元）"), max_digits=12, decimal_places=2, min_value=0, initial=0
    )
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE)

    def __init__(self, *args: Any, needs: Any, resources: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["needs"].queryset = needs  # type: ignore[attr-defined]
        self.fields["needs"].label_from_instance = lambda n: (  # type: ignore[attr-defined]
            f"{n.community.name}·{n.title}"
        )
        self.fields["resources"].queryset = resources  # type: ignore[attr-defined]
        self.fields["resources"].label_from_instance = lambda r: (  # type: ignore[attr-defined]
            f"{r.checkin.community.name}·{r.department.name}·{r.name}"
        )


class TransitionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("操作"), choices=[(a, t.label) for a, t in TRANSITIONS.items()]
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=500)
    rating = forms.IntegerField(label=_("评价（星）"), required=False, min_value=1, max_value=5)
    expected_state = forms.ChoiceField(
        label=_("当前状态"), required=False, choices=[("", "—"), *ProjectState.choices]
    )


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("节点名称"), max_length=100)
    due_on = forms.DateField(label=_("完成期限"), required=False, widget=DATE)
    working_days = forms.IntegerField(
        label=_("或：工作日数"),
        required=False,
        min_value=1,
        max_value=400,
        help_text=_("按工作日历（节假日、调休）自项目开始日起算。"),
    )
    note = forms.CharField(label=_("备注"), max_length=300, required=False)


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("照片或文件"))
    caption = forms.CharField(label=_("说明"), max_length=200, required=False)


class MemberCheckinForm(ScopedForm):
    community = AreaPathChoiceField(label=_("报到社区"), queryset=Area.objects.none())
    party_member = forms.ModelChoiceField(
        label=_("台账党员"),
        queryset=PartyMember.objects.none(),
        required=False,
        help_text=_("本地党员台账中的党员；不在台账的机关干部党员请填写下面各项。"),
    )
    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    employer = forms.CharField(label=_("工作单位"), max_length=120, required=False)
    employer_department = forms.ModelChoiceField(
        label=_("工作单位（区直部门）"), queryset=Department.objects.none(), required=False
    )
    branch = forms.CharField(label=_("所在党支部"), max_length=120, required=False)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    grid = forms.ModelChoiceField(label=_("认领网格"), queryset=Grid.objects.none(), required=False)
    service_areas = forms.MultipleChoiceField(
        label=_("服务领域"),
        choices=ServiceArea.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    registered_on = forms.DateField(label=_("报到日期"), required=False, widget=DATE)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)

    def __init__(self, *args: Any, members: Any, grids: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party_member"].queryset = members  # type: ignore[attr-defined]
        self.fields["grid"].queryset = grids  # type: ignore[attr-defined]


class TaskForm(forms.Form):
    kind = forms.ChoiceField(label=_("任务类别"), choices=TaskKind.choices)
    title = forms.CharField(label=_("任务"), max_length=120)
    scheduled_on = forms.DateField(label=_("日期"), widget=DATE)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)


class TaskDoneForm(forms.Form):
    hours = forms.DecimalField(
        label=_("服务时长（小时）"), max_digits=4, decimal_places=1, min_value=0
    )
    note = forms.CharField(label=_("备注"), max_length=300, required=False)


class FeedbackForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    assessment = forms.ChoiceField(label=_("社区评价"), choices=Assessment.choices)
    comment = forms.CharField(label=_("评语"), max_length=500, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件"))


class CampaignForm(forms.Form):
    area = forms.ModelChoiceField(label=_("组织单位（区域）"), queryset=Area.objects.none())
    title = forms.CharField(label=_("行动名称"), max_length=100)
    description = forms.CharField(
        label=_("行动内容"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE)
    grids = forms.ModelMultipleChoiceField(label=_("目标网格"), queryset=Grid.objects.none())

    def __init__(self, *args: Any, areas: Any, grids: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["grids"].queryset = grids  # type: ignore[attr-defined]


class ShiftForm(forms.Form):
    grid = forms.ModelChoiceField(label=_("网格"), queryset=Grid.objects.none())
    duty = forms.ChoiceField(label=_("任务"), choices=CampaignDuty.choices)
    day = forms.DateField(label=_("日期"), widget=DATE)
    starts_at = forms.TimeField(label=_("开始时间"), widget=TIME)
    ends_at = forms.TimeField(label=_("结束时间"), widget=TIME)
    capacity = forms.IntegerField(label=_("人数上限"), min_value=1, max_value=500, initial=10)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, grids: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids  # type: ignore[attr-defined]


class SignupForm(forms.Form):
    kind = forms.ChoiceField(label=_("身份"), choices=PersonKind.choices)
    member_checkin = forms.ModelChoiceField(
        label=_("报到党员"), queryset=MemberCheckIn.objects.none(), required=False
    )
    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    employer = forms.CharField(label=_("工作单位"), max_length=120, required=False)

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member_checkin"].queryset = members  # type: ignore[attr-defined]


class AttendForm(forms.Form):
    attended = forms.TypedChoiceField(
        label=_("到岗"),
        choices=[("1", _("到岗")), ("0", _("缺勤"))],
        coerce=lambda v: v == "1",
    )
    hours = forms.DecimalField(
        label=_("时长（小时）"), required=False, max_digits=4, decimal_places=1, min_value=0
    )

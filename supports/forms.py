"""Forms of the supports pages: they parse input only; the services decide. Choices of areas,
centres, members and cases come from the views, already cut to the actor's scope."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import Area
from governance.places import AreaPathChoiceField
from grids.models import GRADES, ServiceKind, Station, WorkerPost

from .models import (
    ApplicantResult,
    AppraisalResult,
    BookingStatus,
    CentreLevel,
    Education,
    FundKind,
    MemberRole,
    ProblemState,
    RoundState,
    ServiceLine,
    SessionKind,
    SpendingPurpose,
    Topic,
)

ALL = [("", _("全部"))]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
CHECKS = forms.CheckboxSelectMultiple


def _choices(choices: Any) -> list[tuple[str, Any]]:
    return [*ALL, *choices]


def _set_queryset(form: forms.Form, name: str, queryset: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


def year_choices() -> list[tuple[int, str]]:
    this = timezone.localdate().year
    return [(y, f"{y}") for y in range(this + 1, this - 6, -1)]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)


class AreaFilterMixin(forms.Form):
    """A street filter (for offices above one street) built from the actor's scope."""

    street = AreaPathChoiceField(label=_("街道/镇"), required=False, queryset=Area.objects.none())

    def __init__(self, *args: Any, streets: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if streets is None or len(streets) < 2:
            del self.fields["street"]
        else:
            _set_queryset(self, "street", streets)


# --- Service centres --------------------------------------------------------------------------


class CentreFilterForm(AreaFilterMixin, SearchForm):
    level = forms.ChoiceField(
        label=_("层级"), required=False, choices=_choices(CentreLevel.choices)
    )
    service = forms.ChoiceField(
        label=_("服务内容"), required=False, choices=_choices(ServiceKind.choices)
    )
    line = forms.ChoiceField(
        label=_("服务板块"), required=False, choices=_choices(ServiceLine.choices)
    )


class CentreForm(forms.Form):
    area = forms.ModelChoiceField(label=_("所在街道/社区"), queryset=Area.objects.none())
    name = forms.CharField(label=_("名称"), max_length=100)
    address = forms.CharField(label=_("地址"), max_length=200)
    opening_hours = forms.CharField(label=_("开放时间"), max_length=100)
    phone = forms.CharField(label=_("服务电话"), max_length=30, required=False)
    floor_area = forms.IntegerField(label=_("建筑面积（平方米）"), min_value=0, required=False)
    services = forms.MultipleChoiceField(
        label=_("服务内容"), choices=ServiceKind.choices, widget=CHECKS, required=False
    )
    lines = forms.MultipleChoiceField(
        label=_("服务板块"), choices=ServiceLine.choices, widget=CHECKS, required=False
    )
    opened_on = forms.DateField(label=_("启用日期"), widget=DATE, required=False)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)
    note = forms.CharField(
        label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, areas: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["area"]
        else:
            del self.fields["is_active"]
            _set_queryset(self, "area", areas)


class RoomForm(forms.Form):
    name = forms.CharField(label=_("功能室名称"), max_length=50)
    capacity = forms.IntegerField(label=_("容纳人数"), min_value=1, max_value=2000)
    purpose = forms.CharField(label=_("用途"), max_length=100, required=False)


class BookingForm(forms.Form):
    room = forms.ModelChoiceField(label=_("功能室"), queryset=Area.objects.none())
    title = forms.CharField(label=_("活动/会议"), max_length=100)
    organiser = forms.CharField(label=_("组织方"), max_length=100, required=False)
    attendees = forms.IntegerField(label=_("预计人数"), min_value=0, initial=0, required=False)
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DATETIME)

    def __init__(self, *args: Any, rooms: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "room", rooms)

    def clean_attendees(self) -> int:
        return self.cleaned_data.get("attendees") or 0


class BookingFilterForm(SearchForm):
    centre = forms.ModelChoiceField(
        label=_("服务中心"), required=False, queryset=Area.objects.none()
    )
    when = forms.ChoiceField(
        label=_("时间"),
        required=False,
        choices=[*ALL, ("coming", _("未结束")), ("past", _("已结束"))],
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=_choices(BookingStatus.choices)
    )

    def __init__(self, *args: Any, centres: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "centre", centres)


class PlaceChoiceField(forms.ChoiceField):
    """A centre (``centre:<id>``) or a grid station (``station:<id>``)."""


class RecordForm(forms.Form):
    place = PlaceChoiceField(label=_("服务场所"))
    kind = forms.ChoiceField(label=_("服务类别"), choices=ServiceKind.choices)
    line = forms.ChoiceField(
        label=_("服务板块"), choices=_choices(ServiceLine.choices), required=False
    )
    served_on = forms.DateField(label=_("服务日期"), widget=DATE, initial=timezone.localdate)
    content = forms.CharField(label=_("服务内容"), max_length=200)
    served = forms.CharField(label=_("服务对象"), max_length=100)
    people = forms.IntegerField(label=_("服务人次"), min_value=1, initial=1)
    served_by = forms.CharField(label=_("服务人员"), max_length=50)

    def __init__(self, *args: Any, centres: Any, stations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.places: dict[str, Any] = {f"centre:{c.pk}": c for c in centres}
        self.places.update({f"station:{s.pk}": s for s in stations})
        place = self.fields["place"]
        assert isinstance(place, forms.ChoiceField)
        place.choices = [(key, str(obj)) for key, obj in self.places.items()]

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        place = self.places[data.pop("place")]
        key = "station" if isinstance(place, Station) else "centre"
        return {key: place, **data}


class RecordFilterForm(SearchForm):
    centre = forms.ModelChoiceField(
        label=_("服务中心"), required=False, queryset=Area.objects.none()
    )
    kind = forms.ChoiceField(
        label=_("服务类别"), required=False, choices=_choices(ServiceKind.choices)
    )
    line = forms.ChoiceField(
        label=_("服务板块"), required=False, choices=_choices(ServiceLine.choices)
    )
    month = forms.DateField(
        label=_("月份"),
        required=False,
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m"],
    )

    def __init__(self, *args: Any, centres: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "centre", centres)


class CountsForm(forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, choices=year_choices)
    centre = forms.ModelChoiceField(
        label=_("服务中心"), required=False, queryset=Area.objects.none()
    )
    kind = forms.ChoiceField(
        label=_("服务类别"), required=False, choices=_choices(ServiceKind.choices)
    )

    def __init__(self, *args: Any, centres: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "centre", centres)


class ChecklistForm(forms.Form):
    """One "met" box and a note per item of the centre's level."""

    checked_on = forms.DateField(label=_("检查日期"), widget=DATE, initial=timezone.localdate)

    def __init__(self, *args: Any, lines: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            item, result = line.item, line.result
            self.fields[f"met_{item.pk}"] = forms.BooleanField(
                label=f"{item.code} {item.title}（{item.points} 分）",
                required=False,
                initial=bool(result and result.met),
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("说明"),
                required=False,
                max_length=200,
                initial=result.note if result else "",
            )

    def results(self) -> dict[int, tuple[bool, str]]:
        data = self.cleaned_data
        return {
            line.item.pk: (
                bool(data.get(f"met_{line.item.pk}")),
                data.get(f"note_{line.item.pk}", ""),
            )
            for line in self.lines
        }


# --- Studio -----------------------------------------------------------------------------------


class MemberForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    role = forms.ChoiceField(label=_("身份"), choices=MemberRole.choices)
    organisation = forms.CharField(label=_("单位/党组织"), max_length=100)
    title = forms.CharField(label=_("职务"), max_length=50, required=False)
    joined_on = forms.DateField(label=_("加入日期"), widget=DATE, initial=timezone.localdate)


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("日期"), widget=DATE, initial=timezone.localdate)
    kind = forms.ChoiceField(label=_("形式"), choices=SessionKind.choices)
    topic = forms.ChoiceField(label=_("主题类别"), choices=Topic.choices)
    title = forms.CharField(label=_("主题"), max_length=100)
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    attendees = forms.ModelMultipleChoiceField(
        label=_("参加成员"), queryset=Area.objects.none(), widget=CHECKS, required=False
    )
    guests = forms.IntegerField(label=_("其他参加人数"), min_value=0, initial=0, required=False)
    summary = forms.CharField(
        label=_("内容纪要"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["attendees"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = members

    def clean_guests(self) -> int:
        return self.cleaned_data.get("guests") or 0


class SessionFilterForm(SearchForm):
    kind = forms.ChoiceField(label=_("形式"), required=False, choices=_choices(SessionKind.choices))
    topic = forms.ChoiceField(label=_("主题类别"), required=False, choices=_choices(Topic.choices))


class ProblemForm(forms.Form):
    community = AreaPathChoiceField(label=_("提出社区"), queryset=Area.objects.none())
    title = forms.CharField(label=_("问题"), max_length=100)
    topic = forms.ChoiceField(label=_("类别"), choices=Topic.choices)
    description = forms.CharField(
        label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    raised_on = forms.DateField(label=_("提出日期"), widget=DATE, initial=timezone.localdate)

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "community", communities)
        only = list(communities[:2])
        if len(only) == 1:
            self.fields["community"].initial = only[0].pk


class ProblemFilterForm(AreaFilterMixin, SearchForm):
    state = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[*ALL, ("open", _("办理中（未化解）")), *ProblemState.choices],
    )
    topic = forms.ChoiceField(label=_("类别"), required=False, choices=_choices(Topic.choices))
    community = AreaPathChoiceField(label=_("社区"), required=False, queryset=Area.objects.none())

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "community", communities)


class TransitionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )
    advice = forms.CharField(
        label=_("会诊意见"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )
    session = forms.ModelChoiceField(
        label=_("会诊活动"), required=False, queryset=Area.objects.none()
    )
    on = forms.DateField(label=_("日期"), widget=DATE, required=False)

    def __init__(self, *args: Any, sessions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "session", sessions)


class CaseLinkForm(forms.Form):
    case = forms.ModelChoiceField(label=_("关联事件"), required=False, queryset=Area.objects.none())

    def __init__(self, *args: Any, cases: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "case", cases)


# --- Funds ------------------------------------------------------------------------------------


class FundFilterForm(AreaFilterMixin, SearchForm):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, choices=year_choices, required=False)
    flagged = forms.ChoiceField(
        label=_("区定标准"),
        required=False,
        choices=[*ALL, ("yes", _("低于标准或未下达")), ("no", _("达到标准"))],
    )


class BudgetForm(forms.Form):
    community = AreaPathChoiceField(label=_("社区"), queryset=Area.objects.none())
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, choices=year_choices)
    kind = forms.ChoiceField(label=_("经费类别"), choices=FundKind.choices)
    amount = forms.DecimalField(label=_("预算（元）"), min_value=0, max_digits=12, decimal_places=2)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "community", communities)


class SpendingForm(forms.Form):
    spent_on = forms.DateField(label=_("支出日期"), widget=DATE, initial=timezone.localdate)
    purpose = forms.ChoiceField(label=_("用途"), choices=SpendingPurpose.choices)
    description = forms.CharField(label=_("事由"), max_length=200)
    amount = forms.DecimalField(label=_("金额（元）"), max_digits=12, decimal_places=2)
    approver = forms.CharField(label=_("审批人"), max_length=50)
    voucher_no = forms.CharField(label=_("凭证号"), max_length=40, required=False)
    voucher = forms.FileField(
        label=_("凭证附件"),
        required=False,
        help_text=_("PDF、JPG 或 PNG，不超过 10 MB。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class SpendingFilterForm(SearchForm):
    year = forms.TypedChoiceField(
        label=_("年度"),
        coerce=int,
        choices=[("", _("全部")), *year_choices()],
        required=False,
        empty_value=None,
    )
    kind = forms.ChoiceField(
        label=_("经费类别"), required=False, choices=_choices(FundKind.choices)
    )
    purpose = forms.ChoiceField(
        label=_("用途"), required=False, choices=_choices(SpendingPurpose.choices)
    )
    community = AreaPathChoiceField(label=_("社区"), required=False, queryset=Area.objects.none())

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "community", communities)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的 Excel 文件（可先下载模板）。"))
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("文件不能超过 5 MB。"))
        return upload


class SpendingImportForm(ImportForm):
    community = AreaPathChoiceField(label=_("社区"), queryset=Area.objects.none())
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, choices=year_choices)

    field_order = ["community", "year", "file"]

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "community", communities)
        self.fields["year"].initial = timezone.localdate().year


# --- Careers ----------------------------------------------------------------------------------


class RosterFilterForm(AreaFilterMixin, SearchForm):
    short = forms.ChoiceField(
        label=_("空缺"),
        required=False,
        choices=[*ALL, ("yes", _("有空缺")), ("over", _("超编"))],
    )


class QuotaForm(forms.Form):
    community = AreaPathChoiceField(label=_("社区"), queryset=Area.objects.none())
    post = forms.ChoiceField(label=_("岗位"), choices=WorkerPost.choices)
    quota = forms.IntegerField(label=_("核定人数"), min_value=0, max_value=99)

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "community", communities)


class RoundForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=100)
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, choices=year_choices)
    announced_on = forms.DateField(label=_("公告日期"), widget=DATE, initial=timezone.localdate)
    signup_ends_on = forms.DateField(label=_("报名截止"), widget=DATE)
    exam_on = forms.DateField(label=_("考试日期"), widget=DATE, required=False)
    note = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class RoundAdvanceForm(forms.Form):
    state = forms.ChoiceField(choices=RoundState.choices)


class PositionForm(forms.Form):
    community = AreaPathChoiceField(label=_("招录社区"), queryset=Area.objects.none())
    post = forms.ChoiceField(label=_("岗位"), choices=WorkerPost.choices, initial=WorkerPost.STAFF)
    grade = forms.IntegerField(label=_("起始等级"), min_value=1, max_value=GRADES, initial=1)
    openings = forms.IntegerField(label=_("招录人数"), min_value=1, max_value=99)

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "community", communities)


class ApplicantForm(forms.Form):
    position = forms.ModelChoiceField(label=_("报考岗位"), queryset=Area.objects.none())
    name = forms.CharField(label=_("姓名"), max_length=50)
    gender = forms.ChoiceField(label=_("性别"), choices=[("M", _("男")), ("F", _("女"))])
    id_number = forms.CharField(label=_("身份证号"), max_length=18)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    education = forms.ChoiceField(label=_("学历"), choices=Education.choices)
    is_party_member = forms.BooleanField(label=_("中共党员"), required=False)

    def __init__(self, *args: Any, positions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "position", positions)


class ApplicantFilterForm(SearchForm):
    position = forms.ModelChoiceField(
        label=_("报考岗位"), required=False, queryset=Area.objects.none()
    )
    result = forms.ChoiceField(
        label=_("结果"), required=False, choices=_choices(ApplicantResult.choices)
    )

    def __init__(self, *args: Any, positions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "position", positions)


class ScoreForm(forms.Form):
    written_score = forms.DecimalField(
        label=_("笔试成绩"), min_value=0, max_value=100, decimal_places=2, required=False
    )
    interview_score = forms.DecimalField(
        label=_("面试成绩"), min_value=0, max_value=100, decimal_places=2, required=False
    )


DECISIONS = (ApplicantResult.PASSED, ApplicantResult.FAILED, ApplicantResult.WITHDRAWN)


class DecideForm(forms.Form):
    result = forms.ChoiceField(
        label=_("结果"),
        choices=[(value, label) for value, label in ApplicantResult.choices if value in DECISIONS],
    )


class HireForm(forms.Form):
    hired_on = forms.DateField(label=_("入职日期"), widget=DATE, initial=timezone.localdate)


class AppraisalForm(forms.Form):
    year = forms.TypedChoiceField(label=_("考核年度"), coerce=int, choices=year_choices)
    result = forms.ChoiceField(label=_("考核结果"), choices=AppraisalResult.choices)
    score = forms.DecimalField(
        label=_("考核得分"), min_value=0, max_value=100, decimal_places=1, required=False
    )
    note = forms.CharField(label=_("评语"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year - 1


class PromotionForm(forms.Form):
    to_post = forms.ChoiceField(label=_("新岗位"), choices=WorkerPost.choices)
    to_grade = forms.IntegerField(label=_("新等级"), min_value=1, max_value=GRADES)
    effective_on = forms.DateField(label=_("生效日期"), widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(label=_("说明"), max_length=200, required=False)


class AppraisalFilterForm(SearchForm):
    year = forms.TypedChoiceField(
        label=_("考核年度"),
        coerce=int,
        choices=[("", _("全部")), *year_choices()],
        required=False,
        empty_value=None,
    )
    result = forms.ChoiceField(
        label=_("考核结果"), required=False, choices=_choices(AppraisalResult.choices)
    )
    community = AreaPathChoiceField(label=_("社区"), required=False, queryset=Area.objects.none())

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "community", communities)


class PromotionFilterForm(SearchForm):
    year = forms.TypedChoiceField(
        label=_("年度"),
        coerce=int,
        choices=[("", _("全部")), *year_choices()],
        required=False,
        empty_value=None,
    )
    community = AreaPathChoiceField(label=_("社区"), required=False, queryset=Area.objects.none())

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "community", communities)

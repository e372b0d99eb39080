"""Forms parse input only; the services decide."""

import json
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms import CategoryChoiceField
from cases.models import Category
from cases.selectors import leaf_categories
from governance.models import Area, AreaLevel, Household, NeedKind
from governance.places import AreaPathChoiceField
from governance.widgets import PlaceChoiceField

from .models import (
    GRADES,
    CommunityWorker,
    FiveDuty,
    GridKind,
    GridPost,
    RecruitmentStatus,
    ServiceKind,
    StationKind,
    VisitKind,
    WorkerPost,
)

ALL = [("", _("全部"))]
DATE = forms.DateInput(attrs={"type": "date"})


def _choices(choices: Any) -> list[tuple[str, Any]]:
    return [*ALL, *choices]


class GridFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    community = AreaPathChoiceField(label=_("社区"), required=False, queryset=Area.objects.none())
    kind = forms.ChoiceField(
        label=_("网格类型"), required=False, choices=_choices(GridKind.choices)
    )
    staffing = forms.ChoiceField(
        label=_("配备情况"),
        required=False,
        choices=[*ALL, ("breach", _("不达标")), ("ok", _("达标"))],
    )

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities  # type: ignore[attr-defined]


class BoundaryField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 4, "spellcheck": "false"})

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return None
        try:
            return json.loads(text)
        except ValueError as exc:
            raise forms.ValidationError(_("边界须为合法的 GeoJSON 文本。")) from exc

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False)
        return value


class GridForm(forms.Form):
    community = AreaPathChoiceField(label=_("所属社区"), queryset=Area.objects.none())
    code = forms.CharField(label=_("网格编码"), max_length=32)
    name = forms.CharField(label=_("网格名称"), max_length=100)
    kind = forms.ChoiceField(label=_("网格类型"), choices=GridKind.choices)
    boundary = BoundaryField(
        label=_("边界（GeoJSON）"),
        required=False,
        help_text=_("Polygon 或 MultiPolygon，坐标为 [经度, 纬度]。"),
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)
    note = forms.CharField(
        label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, communities: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities  # type: ignore[attr-defined]
        if editing:
            del self.fields["community"]
        else:
            del self.fields["is_active"]


class CoverageForm(forms.Form):
    area = PlaceChoiceField(
        label=_("小区/楼栋"), kind="estate_building", queryset=Area.objects.none()
    )

    def __init__(self, *args: Any, community: Area, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        within = Area.objects.filter(
            path__startswith=community.path,
            level__in=[AreaLevel.RESIDENTIAL_AREA, AreaLevel.BUILDING],
        ).order_by("path")
        self.fields["area"].for_actor(actor, within)  # type: ignore[attr-defined]


class StaffingForm(forms.Form):
    post = forms.ChoiceField(label=_("网格职务"), choices=GridPost.choices)
    worker = forms.ModelChoiceField(
        label=_("社区工作者"), required=False, queryset=CommunityWorker.objects.none()
    )
    person_name = forms.CharField(label=_("姓名（非社区工作者）"), required=False, max_length=50)
    started_on = forms.DateField(label=_("任职日期"), widget=DATE, initial=timezone.localdate)

    def __init__(self, *args: Any, workers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers  # type: ignore[attr-defined]


class StaffingEndForm(forms.Form):
    ended_on = forms.DateField(label=_("离任日期"), widget=DATE, initial=timezone.localdate)


class WorkerFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名"), required=False, max_length=50)
    community = AreaPathChoiceField(label=_("社区"), required=False, queryset=Area.objects.none())
    post = forms.ChoiceField(label=_("岗位"), required=False, choices=_choices(WorkerPost.choices))
    duty = forms.ChoiceField(
        label=_("五员职责"), required=False, choices=_choices(FiveDuty.choices)
    )
    status = forms.ChoiceField(
        label=_("招录状态"), required=False, choices=_choices(RecruitmentStatus.choices)
    )

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities  # type: ignore[attr-defined]


GRADE_CHOICES = [(n, _("%(n)s 级") % {"n": n}) for n in range(1, GRADES + 1)]


class WorkerForm(forms.Form):
    community = AreaPathChoiceField(label=_("所属社区"), queryset=Area.objects.none())
    name = forms.CharField(label=_("姓名"), max_length=50)
    post = forms.ChoiceField(label=_("岗位"), choices=WorkerPost.choices)
    grade = forms.TypedChoiceField(label=_("等级"), choices=GRADE_CHOICES, coerce=int)
    duty = forms.ChoiceField(
        label=_("五员职责"), required=False, choices=[("", "—"), *FiveDuty.choices]
    )
    status = forms.ChoiceField(label=_("招录状态"), choices=RecruitmentStatus.choices)
    is_party_member = forms.BooleanField(label=_("中共党员"), required=False)
    hired_on = forms.DateField(label=_("入职日期"), required=False, widget=DATE)
    note = forms.CharField(
        label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, communities: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities  # type: ignore[attr-defined]
        if editing:
            for name in ("community", "post", "grade"):
                del self.fields[name]


class GradeChangeForm(forms.Form):
    post = forms.ChoiceField(label=_("岗位"), choices=WorkerPost.choices)
    grade = forms.TypedChoiceField(label=_("等级"), choices=GRADE_CHOICES, coerce=int)
    effective_on = forms.DateField(label=_("生效日期"), widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(label=_("调整原因"), required=False, max_length=200)


class TrainingForm(forms.Form):
    course = forms.CharField(label=_("课程"), max_length=200)
    hours = forms.DecimalField(label=_("学时"), max_digits=5, decimal_places=1, min_value=0.1)
    trained_on = forms.DateField(label=_("培训日期"), widget=DATE, initial=timezone.localdate)
    organiser = forms.CharField(label=_("主办单位"), required=False, max_length=100)


class StationFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    community = AreaPathChoiceField(label=_("社区"), required=False, queryset=Area.objects.none())
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=_choices(StationKind.choices))
    service = forms.ChoiceField(
        label=_("服务内容"), required=False, choices=_choices(ServiceKind.choices)
    )

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities  # type: ignore[attr-defined]


class StationForm(forms.Form):
    grid = forms.ModelChoiceField(label=_("网格"), queryset=Area.objects.none())
    kind = forms.ChoiceField(label=_("类型"), choices=StationKind.choices)
    name = forms.CharField(label=_("名称"), max_length=100)
    residential_area = PlaceChoiceField(
        label=_("所在小区"), kind="estate", required=False, queryset=Area.objects.none()
    )
    address = forms.CharField(label=_("地址"), max_length=200)
    longitude = forms.FloatField(label=_("经度"), required=False)
    latitude = forms.FloatField(label=_("纬度"), required=False)
    opening_hours = forms.CharField(label=_("开放时间"), max_length=100)
    services = forms.MultipleChoiceField(
        label=_("服务内容"),
        required=False,
        choices=ServiceKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    opened_on = forms.DateField(label=_("启用日期"), required=False, widget=DATE)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(
        self, *args: Any, grids: Any, estates: Any, actor: Any, editing: bool = False, **kw: Any
    ):
        super().__init__(*args, **kw)
        self.fields["grid"].queryset = grids  # type: ignore[attr-defined]
        self.fields["residential_area"].for_actor(actor, estates)  # type: ignore[attr-defined]
        if editing:
            del self.fields["grid"]


class ModelPostForm(forms.Form):
    title = forms.CharField(label=_("岗位名称"), max_length=100)
    member_name = forms.CharField(label=_("党员姓名"), max_length=50)
    duty = forms.CharField(label=_("服务内容"), required=False, max_length=200)
    since = forms.DateField(label=_("设岗日期"), widget=DATE, initial=timezone.localdate)


class LocateForm(forms.Form):
    longitude = forms.FloatField(label=_("经度"), min_value=-180, max_value=180)
    latitude = forms.FloatField(label=_("纬度"), min_value=-90, max_value=90)


class VisitForm(forms.Form):
    grid = forms.ModelChoiceField(label=_("网格"), queryset=Area.objects.none())
    household = PlaceChoiceField(label=_("住户"), queryset=Household.objects.none())
    visited_on = forms.DateField(label=_("走访日期"), widget=DATE, initial=timezone.localdate)
    kind = forms.ChoiceField(label=_("走访方式"), choices=VisitKind.choices)
    heard = forms.CharField(
        label=_("了解情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    need_kind = forms.ChoiceField(
        label=_("发现的需求类别"), required=False, choices=[("", "—"), *NeedKind.choices]
    )
    need = forms.CharField(label=_("需求描述（记入需求台账）"), required=False, max_length=1000)
    problems = forms.CharField(
        label=_("发现的问题（每行一个，逐条上报为事件）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    problem_category = CategoryChoiceField(
        label=_("问题的事件类别"),
        required=False,
        queryset=Category.objects.none(),
        help_text=_("发现的问题按此类别上报，由社区受理。"),
    )
    # Problems of another kind, each with its own category (one visit, several categories).
    problem_2 = forms.CharField(label=_("另一个问题"), required=False, max_length=500)
    problem_category_2 = CategoryChoiceField(
        label=_("该问题的事件类别"), required=False, queryset=Category.objects.none()
    )
    problem_3 = forms.CharField(label=_("再一个问题"), required=False, max_length=500)
    problem_category_3 = CategoryChoiceField(
        label=_("该问题的事件类别"), required=False, queryset=Category.objects.none()
    )
    follow_up_on = forms.DateField(label=_("回访日期"), required=False, widget=DATE)

    EXTRA_PROBLEMS = (("problem_2", "problem_category_2"), ("problem_3", "problem_category_3"))

    def __init__(
        self, *args: Any, grids: Any, households: Any, actor: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids  # type: ignore[attr-defined]
        self.fields["household"].queryset = households  # type: ignore[attr-defined]
        self.fields["household"].for_actor(actor)  # type: ignore[attr-defined]
        for name in ("problem_category", "problem_category_2", "problem_category_3"):
            self.fields[name].queryset = leaf_categories()  # type: ignore[attr-defined]

    def _problem_lines(self) -> list[str]:
        text = self.cleaned_data.get("problems") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("need") and not data.get("need_kind"):
            self.add_error("need_kind", _("请选择需求类别。"))
        if self._problem_lines() and not data.get("problem_category"):
            self.add_error("problem_category", _("发现问题时请选择事件类别。"))
        for text, category in self.EXTRA_PROBLEMS:
            if data.get(text) and not data.get(category):
                self.add_error(category, _("发现问题时请选择事件类别。"))
        return data

    def _problems(self) -> list[tuple[Any, str]]:
        data = self.cleaned_data
        problems = [(data["problem_category"], line) for line in self._problem_lines()]
        for text, category in self.EXTRA_PROBLEMS:
            if (data.get(text) or "").strip():
                problems.append((data[category], data[text].strip()))
        return problems

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "grid": data["grid"],
            "household": data["household"],
            "visited_on": data["visited_on"],
            "kind": data["kind"],
            "heard": data["heard"],
            "needs": [(data["need_kind"], data["need"])] if data.get("need") else [],
            "problems": self._problems(),
            "follow_up_on": data.get("follow_up_on"),
        }


class VisitFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("走访方式"), required=False, choices=_choices(VisitKind.choices)
    )
    problems = forms.ChoiceField(
        label=_("问题"),
        required=False,
        choices=[
            *ALL,
            ("found", _("发现问题")),
            ("open", _("问题未解决")),
            ("solved", _("问题已解决")),
        ],
    )
    mine = forms.BooleanField(label=_("只看我的走访"), required=False)

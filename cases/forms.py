"""Forms parse input only; every rule is checked again by the services."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from governance.models import Area, Department, PropertyCompany
from governance.places import AreaPathChoiceField
from governance.units import parse_unit
from governance.widgets import PlaceChoiceField

from . import selectors
from .locating import place_at_point
from .models import (
    Alert,
    Case,
    CaseSource,
    CaseState,
    Category,
    Satisfaction,
    SupervisionLevel,
    Tier,
)
from .photos import MAX_PHOTOS
from .selectors import CaseFilters
from .workflow import ACTION_CHOICES, TRANSITIONS, Need, Transition


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    # A phone offers its camera (capture) as well as its photos; the service checks the type.
    widget = MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"})

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(PhotosField, self).clean(f, initial) for f in files]


def _photos() -> PhotosField:
    return PhotosField(
        label=_("照片"),
        required=False,
        help_text=_("最多 %(n)d 张，JPEG / PNG / WebP，每张不超过 10 MB。") % {"n": MAX_PHOTOS},
    )


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.parent.name} → {obj.name}" if obj.parent_id else obj.name


class AreaChoiceField(AreaPathChoiceField):
    """Areas named by their full path (甲街道 / 甲社区 / 甲小区 / 1号楼), never a bare 1号楼."""


class ReportForm(forms.Form):
    category = CategoryChoiceField(label=_("类别"), queryset=Category.objects.none())
    area = PlaceChoiceField(
        label=_("位置（社区/小区/楼栋）"),
        kind="place",
        queryset=Area.objects.none(),
        required=False,
        help_text=_("输入小区或楼栋名称选择；使用手机定位时可不填，按定位所在网格确定。"),
    )
    title = forms.CharField(label=_("标题"), max_length=100)
    description = forms.CharField(
        label=_("问题描述"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    address = forms.CharField(label=_("详细地址"), max_length=200, required=False)
    longitude = forms.DecimalField(
        label=_("经度"), required=False, max_digits=9, decimal_places=6,
        min_value=-180, max_value=180,
    )  # fmt: skip
    latitude = forms.DecimalField(
        label=_("纬度"), required=False, max_digits=9, decimal_places=6, min_value=-90, max_value=90
    )
    source = forms.ChoiceField(label=_("来源"), choices=CaseSource.choices, initial=CaseSource.GRID)
    contact_name = forms.CharField(label=_("反映人"), max_length=50, required=False)
    contact_phone = forms.RegexField(
        label=_("反映人电话"),
        regex=r"^[0-9\- ]{7,20}$",
        required=False,
        error_messages={"invalid": _("请输入有效的电话号码。")},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    urgent = forms.BooleanField(label=_("加急"), required=False)
    photos = _photos()

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = selectors.leaf_categories()  # type: ignore[attr-defined]
        self.fields["area"].for_actor(actor, selectors.report_areas(actor=actor))  # type: ignore[attr-defined]
        self.fields["source"].choices = [  # type: ignore[attr-defined]
            c for c in CaseSource.choices if c[0] != CaseSource.OPEN311
        ]
        self.actor = actor

    def clean(self) -> dict[str, Any]:
        """No place chosen but a position given (the phone's): the grid holding the point
        names it, as for an Open311 request."""
        data = super().clean() or {}
        if data.get("area") or "area" in self.errors:
            return data
        longitude, latitude = data.get("longitude"), data.get("latitude")
        place = None
        if longitude is not None and latitude is not None:
            place = place_at_point(
                actor=self.actor, longitude=float(longitude), latitude=float(latitude)
            )
        if place is not None:
            data["area"] = place.area
        elif longitude is not None and latitude is not None:
            self.add_error("area", _("定位不在您可上报的网格内，请输入小区或楼栋。"))
        else:
            self.add_error("area", _("请选择位置，或使用手机定位。"))
        return data


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    state = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部")), ("open", _("未办结")), *CaseState.choices],
    )
    tier = forms.ChoiceField(
        label=_("层级"), required=False, choices=[("", _("全部")), *Tier.choices]
    )
    category = CategoryChoiceField(
        label=_("类别"), required=False, queryset=Category.objects.none(), empty_label=_("全部")
    )
    area = AreaChoiceField(
        label=_("区域"), required=False, queryset=Area.objects.none(), empty_label=_("全部")
    )
    alert = forms.ChoiceField(
        label=_("时限"),
        required=False,
        choices=[("", _("全部")), (Alert.YELLOW, _("黄灯预警")), ("overdue", _("已超期"))],
    )
    urgent = forms.NullBooleanField(
        label=_("加急"),
        required=False,
        widget=forms.Select(choices=[("", _("全部")), ("true", _("是")), ("false", _("否"))]),
    )
    supervised = forms.NullBooleanField(
        label=_("督办"),
        required=False,
        widget=forms.Select(choices=[("", _("全部")), ("true", _("是")), ("false", _("否"))]),
    )
    date_from = forms.DateField(
        label=_("上报起始"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("上报截止"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = selectors.category_list()  # type: ignore[attr-defined]
        self.fields["area"].queryset = selectors.case_area_filter_choices(actor=actor)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("起始日期不能晚于截止日期。"))
        return data

    def filters(self) -> CaseFilters:
        if not self.is_valid():
            return CaseFilters()
        data = self.cleaned_data
        tz = timezone.get_current_timezone()

        def day_start(day: Any) -> datetime | None:
            return datetime.combine(day, time.min, tzinfo=tz) if day else None

        end = day_start(data.get("date_to"))
        return CaseFilters(
            state=data.get("state") or "",
            tier=data.get("tier") or "",
            category=data.get("category"),
            area=data.get("area"),
            alert=data.get("alert") or "",
            urgent=data.get("urgent"),
            supervised=data.get("supervised"),
            created_from=day_start(data.get("date_from")),
            created_to=end + timedelta(days=1) if end else None,
            text=(data.get("q") or "").strip(),
        )


def unit_choices(actor: Any) -> list[tuple[str, list[tuple[str, str]]]]:
    """Handling units a desk can pick: streets and communities in its scope, departments and
    property companies."""
    areas = [
        (f"area:{a.pk}", a.name)
        for a in Area.objects.visible_to(actor).filter(level__in=["street", "community"])
    ]
    departments = [
        (f"department:{d.pk}", d.name) for d in Department.objects.filter(is_active=True)
    ]
    companies = [
        (f"company:{c.pk}", c.name) for c in PropertyCompany.objects.filter(is_active=True)
    ]
    return [
        (str(_("街道/社区")), areas),
        (str(_("区直部门")), departments),
        (str(_("物业企业")), companies),
    ]


def _need_fields(need: Need) -> dict[str, forms.Field]:
    """The form fields of one input of an action (``cases.workflow.Need``), in page order."""
    if need == Need.UNITS:
        return {
            "lead": forms.CharField(label=_("主办单位"), required=False),
            "cooperating": forms.MultipleChoiceField(
                label=_("协办单位"), required=False, choices=[]
            ),
        }
    if need == Need.PERSON:
        return {
            "person": forms.CharField(
                label=_("指定承办人（用户名）"), required=False, max_length=150
            )
        }
    if need == Need.DAYS:
        return {
            "days": forms.IntegerField(
                label=_("延期天数（工作日）"), min_value=1, max_value=30,
                error_messages={"required": _("请填写延期天数。")},
            )
        }  # fmt: skip
    if need == Need.SATISFACTION:
        return {
            "satisfaction": forms.ChoiceField(
                label=_("居民满意度"), required=False, choices=[("", "—"), *Satisfaction.choices]
            )
        }
    if need == Need.CARD:
        return {
            "level": forms.ChoiceField(
                label=_("督办级别"), choices=[c for c in SupervisionLevel.choices if c[0]]
            )
        }
    if need == Need.TARGET:
        return {"into": forms.CharField(label=_("合并到事件编号"), required=False, max_length=20)}
    return {}


def _note_field(transition: Transition) -> forms.CharField:
    message = transition.note_required
    return forms.CharField(
        label=_("说明"),
        required=message is not None,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": str(message)} if message is not None else None,
    )


class TransitionForm(forms.Form):
    """The form of one transition: the fields its row in ``cases.workflow`` needs, the note,
    and photos where the row asks for them. The action comes from ``action=`` (the page builds
    one form per action) or from the submitted data (the API). Only dispatch looks up units.

    Each action's form has its own ``auto_id`` (``id_<action>_<field>``), so the five forms of
    a case page never share an element id and every label points at its own field."""

    action = forms.ChoiceField(choices=ACTION_CHOICES, widget=forms.HiddenInput)

    def __init__(
        self, data: Any = None, files: Any = None, *, actor: Any, action: str | None = None,
        **kwargs: Any,
    ) -> None:  # fmt: skip
        chosen = action or (data.get("action", "") if data is not None else "")
        self.transition = TRANSITIONS.get(str(chosen))
        if self.transition is not None:
            kwargs.setdefault("auto_id", f"id_{self.transition.action}_%s")
        super().__init__(data, files, initial={"action": chosen}, **kwargs)
        self.actor = actor
        if self.transition is None:
            return
        needs = self.transition.needs
        for need in needs:
            if need != Need.PHOTOS:
                self.fields.update(_need_fields(need))
        self.fields["note"] = _note_field(self.transition)
        if Need.PHOTOS in needs:
            self.fields["photos"] = _photos()
        if Need.UNITS in needs:
            choices = unit_choices(actor)
            self.fields["lead"].widget = forms.Select(
                choices=[("", _("按派单规则（默认）")), *choices]
            )
            self.fields["cooperating"].choices = choices  # type: ignore[attr-defined]

    def service_params(self) -> dict[str, Any]:
        """The keyword arguments of the action's service: the note and what the row needs."""
        data = self.cleaned_data
        needs = self.transition.needs if self.transition is not None else ()
        params: dict[str, Any] = {"note": data.get("note") or ""}
        if Need.PHOTOS in needs:
            params["photos"] = data.get("photos") or []
        if Need.DAYS in needs:
            params["days"] = data["days"]
        if Need.SATISFACTION in needs:
            params["satisfaction"] = data.get("satisfaction") or ""
        if Need.CARD in needs:
            params["level"] = data.get("level") or ""
        if Need.TARGET in needs:
            number = (data.get("into") or "").strip()
            into = Case.objects.visible_to(self.actor).filter(number=number).first()
            if into is None:
                raise forms.ValidationError({"into": _("未找到该编号的事件。")})
            params["into"] = into
        if Need.UNITS in needs:
            params["lead"] = parse_unit(data["lead"]) if data.get("lead") else None
            params["cooperating"] = [parse_unit(v) for v in data.get("cooperating") or []]
        if Need.PERSON in needs:
            params["person"] = None
            if data.get("person"):
                person = User.objects.filter(
                    username=data["person"].strip(), is_active=True
                ).first()
                if person is None:
                    raise forms.ValidationError({"person": _("未找到该用户。")})
                params["person"] = person
        return params

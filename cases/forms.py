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
from governance.units import parse_unit

from . import selectors
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


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

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


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        indent = "\u3000" * max(obj.depth - 3, 0)
        return f"{indent}{obj.name}"


class ReportForm(forms.Form):
    category = CategoryChoiceField(label=_("类别"), queryset=Category.objects.none())
    area = AreaChoiceField(label=_("位置（社区/小区/楼栋）"), queryset=Area.objects.none())
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
        self.fields["area"].queryset = selectors.report_areas(actor=actor)  # type: ignore[attr-defined]
        self.fields["source"].choices = [  # type: ignore[attr-defined]
            c for c in CaseSource.choices if c[0] != CaseSource.OPEN311
        ]


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


class TransitionForm(forms.Form):
    """One form for every transition; each action reads the fields it needs."""

    action = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    days = forms.IntegerField(
        label=_("延期天数（工作日）"), required=False, min_value=1, max_value=30
    )
    satisfaction = forms.ChoiceField(
        label=_("居民满意度"), required=False, choices=[("", "—"), *Satisfaction.choices]
    )
    level = forms.ChoiceField(
        label=_("督办级别"),
        required=False,
        choices=[c for c in SupervisionLevel.choices if c[0]],
    )
    into = forms.CharField(label=_("合并到事件编号"), required=False, max_length=20)
    lead = forms.CharField(label=_("主办单位"), required=False)
    cooperating = forms.MultipleChoiceField(label=_("协办单位"), required=False, choices=[])
    person = forms.CharField(label=_("指定承办人（用户名）"), required=False, max_length=150)
    photos = _photos()

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        choices = unit_choices(actor)
        self.fields["lead"].widget = forms.Select(choices=[("", _("按派单规则（默认）")), *choices])
        self.fields["cooperating"].choices = choices  # type: ignore[attr-defined]

    def service_params(self) -> dict[str, Any]:
        """The keyword arguments of the action's service."""
        data = self.cleaned_data
        action = data["action"]
        note = data.get("note") or ""
        photos = data.get("photos") or []
        if action in ("handle", "reply", "resolve", "verify"):
            return {"note": note, "photos": photos}
        if action == "request_extension":
            if not data.get("days"):
                raise forms.ValidationError({"days": _("请填写延期天数。")})
            return {"note": note, "days": data["days"]}
        if action == "rate":
            return {"note": note, "satisfaction": data.get("satisfaction") or ""}
        if action == "supervise":
            return {"note": note, "level": data.get("level") or ""}
        if action == "merge":
            number = (data.get("into") or "").strip()
            into = Case.objects.visible_to(self.actor).filter(number=number).first()
            if into is None:
                raise forms.ValidationError({"into": _("未找到该编号的事件。")})
            return {"note": note, "into": into}
        if action == "dispatch":
            lead = parse_unit(data["lead"]) if data.get("lead") else None
            cooperating = [parse_unit(v) for v in data.get("cooperating") or []]
            person = None
            if data.get("person"):
                person = User.objects.filter(
                    username=data["person"].strip(), is_active=True
                ).first()
                if person is None:
                    raise forms.ValidationError({"person": _("未找到该用户。")})
            return {"note": note, "lead": lead, "cooperating": cooperating, "person": person}
        return {"note": note}

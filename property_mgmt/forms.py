"""Forms of the 红色物业 pages: filter bars and the inputs of the services. Forms parse and
check shapes; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cases.models import Category
from governance.models import Area, Department, PartyOrg, PartyOrgSector, PropertyCompany
from governance.places import AreaPathChoiceField
from governance.widgets import PlaceChoiceField

from .models import (
    ITEM_FIELDS,
    AttendeeSide,
    CommitteeRole,
    ComplaintType,
    ContractKind,
    FeeLevel,
    MediationOutcome,
    MediatorRole,
    MeetingKind,
    Qualification,
    Referral,
    ResolutionState,
    Score,
    SurveyItem,
)
from .services.complaints import COMPLAINT_TYPES, DISPUTE_TYPES

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("全部")), *list(choices)]


class FilterForm(forms.Form):
    """A filter bar: ``within`` (a street, community or residential area of the scope, chosen
    by name: a district has thousands), ``q``."""

    within = PlaceChoiceField(
        label=_("区域"), kind="scope", required=False, queryset=Area.objects.none()
    )
    q = forms.CharField(label=_("搜索"), required=False, max_length=50)

    def __init__(
        self,
        *args: Any,
        areas: QuerySet[Area] | None = None,
        actor: Any = None,
        companies: QuerySet[PropertyCompany] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        if areas is None:
            del self.fields["within"]
        else:
            self.fields["within"].for_actor(actor, areas)  # type: ignore[attr-defined]
        # A bar with a company filter offers the companies given, or none at all.
        if "company" in self.fields:
            if companies is None:
                del self.fields["company"]
            else:
                self.fields["company"].queryset = companies  # type: ignore[attr-defined]


class WithinForm(FilterForm):
    """The area a figure is counted for (the rates, satisfaction and ranking pages)."""

    q = None  # type: ignore[assignment]


class CompanyFilter(forms.Form):
    q = forms.CharField(label=_("名称/信用代码"), required=False, max_length=50)
    pilot = forms.TypedChoiceField(
        label=_("红色物业试点"),
        required=False,
        choices=[("", _("全部")), ("1", _("是")), ("0", _("否"))],
        coerce=lambda v: v == "1",
        empty_value=None,
    )


class ContractFilter(FilterForm):
    company = forms.ModelChoiceField(
        PropertyCompany.objects.none(), label=_("物业企业"), required=False
    )
    kind = forms.ChoiceField(
        label=_("服务方式"), required=False, choices=_blank(ContractKind.choices)
    )
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[
            ("", _("全部")),
            ("current", _("有效")),
            ("expiring", _("90 天内到期")),
            ("ended", _("已终止")),
            ("future", _("未生效")),
        ],
    )


class CommitteeFilter(FilterForm):
    status = forms.ChoiceField(
        label=_("任期"),
        required=False,
        choices=[
            ("", _("全部")),
            ("current", _("在任")),
            ("expiring", _("90 天内届满")),
            ("ended", _("已届满")),
            ("unfiled", _("未备案")),
        ],
    )


class MeetingFilter(FilterForm):
    kind = forms.ChoiceField(
        label=_("会议类型"), required=False, choices=_blank(MeetingKind.choices)
    )
    year = forms.IntegerField(label=_("年份"), required=False, min_value=2000, max_value=2100)


class ResolutionFilter(FilterForm):
    state = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部")), ("open", _("未落实")), *ResolutionState.choices],
    )
    alert = forms.ChoiceField(
        label=_("时限"),
        required=False,
        choices=[("", _("全部")), ("warning", _("即将到期")), ("overdue", _("已超期"))],
    )
    mine = forms.BooleanField(label=_("本单位负责"), required=False)
    company = forms.ModelChoiceField(
        PropertyCompany.objects.none(), label=_("责任物业企业"), required=False
    )
    due_start = forms.DateField(label=_("完成时限起"), required=False, widget=DATE)
    due_end = forms.DateField(label=_("完成时限止"), required=False, widget=DATE)
    keeping = forms.ChoiceField(
        label=_("按期落实"),
        required=False,
        choices=[
            ("", _("全部")),
            ("counted", _("计入落实率（不含已撤销）")),
            ("kept", _("按期落实")),
            ("missed", _("未按期落实")),
        ],
    )


class ComplaintFilter(FilterForm):
    kind = forms.ChoiceField(
        label=_("类别"),
        required=False,
        choices=[("", _("全部")), ("complaint", _("物业投诉")), ("dispute", _("矛盾纠纷"))],
    )
    company = forms.ModelChoiceField(
        PropertyCompany.objects.none(), label=_("物业企业"), required=False
    )
    complaint_type = forms.ChoiceField(
        label=_("类型"), required=False, choices=_blank(ComplaintType.choices)
    )
    state = forms.ChoiceField(
        label=_("办理"),
        required=False,
        choices=[
            ("", _("全部")),
            ("open", _("办理中")),
            ("overdue", _("已超期")),
            ("closed", _("已办结")),
        ],
    )
    start = forms.DateField(label=_("反映日期起"), required=False, widget=DATE)
    end = forms.DateField(label=_("反映日期止"), required=False, widget=DATE)
    counted = forms.TypedChoiceField(
        label=_("计入投诉率"),
        required=False,
        choices=[("", _("全部")), ("1", _("是")), ("0", _("否（已驳回或合并）"))],
        coerce=lambda v: v == "1",
        empty_value=None,
    )
    resolved_start = forms.DateField(label=_("办结日期起"), required=False, widget=DATE)
    resolved_end = forms.DateField(label=_("办结日期止"), required=False, widget=DATE)
    timeliness = forms.ChoiceField(
        label=_("按时办结"),
        required=False,
        choices=[("", _("全部")), ("on_time", _("按时办结")), ("late", _("超期办结"))],
    )


class MediationFilter(FilterForm):
    outcome = forms.ChoiceField(
        label=_("调解结果"),
        required=False,
        choices=[("", _("全部")), ("pending", _("调解中")), *MediationOutcome.choices[1:]],
    )


class SurveyFilter(FilterForm):
    year = forms.IntegerField(label=_("年份"), required=False, min_value=2000, max_value=2100)
    company = forms.ModelChoiceField(
        PropertyCompany.objects.none(), label=_("物业企业"), required=False
    )
    period_from = forms.DateField(label=_("评价期覆盖起"), required=False, widget=DATE)
    period_to = forms.DateField(label=_("评价期覆盖止"), required=False, widget=DATE)


# --- Writes ------------------------------------------------------------------------------------


class CompanyForm(forms.Form):
    name = forms.CharField(label=_("企业名称"), max_length=100)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=30)
    qualification = forms.ChoiceField(
        label=_("资质"), required=False, choices=[("", "—"), *Qualification.choices]
    )
    legal_representative = forms.CharField(label=_("法定代表人"), max_length=50, required=False)
    address = forms.CharField(label=_("办公地址"), max_length=200, required=False)
    service_phone = forms.CharField(label=_("服务电话"), max_length=30, required=False)
    is_red_pilot = forms.BooleanField(label=_("红色物业试点"), required=False)
    red_pilot_since = forms.DateField(label=_("试点起始日期"), required=False, widget=DATE)


class ProfileForm(forms.Form):
    qualification = forms.ChoiceField(
        label=_("资质"), required=False, choices=[("", "—"), *Qualification.choices]
    )
    legal_representative = forms.CharField(label=_("法定代表人"), max_length=50, required=False)
    address = forms.CharField(label=_("办公地址"), max_length=200, required=False)
    service_phone = forms.CharField(label=_("服务电话"), max_length=30, required=False)
    party_org = forms.ModelChoiceField(
        PartyOrg.objects.none(), label=_("企业党组织"), required=False
    )
    is_red_pilot = forms.BooleanField(label=_("红色物业试点"), required=False)
    red_pilot_since = forms.DateField(label=_("试点起始日期"), required=False, widget=DATE)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)

    def __init__(self, *args: Any, company: PropertyCompany, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["party_org"].queryset = PartyOrg.objects.filter(  # type: ignore[attr-defined]
            sector=PartyOrgSector.PROPERTY_COMPANY, company=company
        )


class ContactForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    post = forms.CharField(label=_("职务"), max_length=50, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    is_primary = forms.BooleanField(label=_("主要联系人"), required=False)


class ContractForm(forms.Form):
    area = PlaceChoiceField(queryset=Area.objects.none(), kind="estate", label=_("小区"))
    kind = forms.ChoiceField(label=_("服务方式"), choices=ContractKind.choices)
    company = forms.ModelChoiceField(
        PropertyCompany.objects.none(), label=_("物业企业"), required=False
    )
    number = forms.CharField(label=_("合同编号"), max_length=40, required=False)
    starts_on = forms.DateField(label=_("起始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("终止日期"), widget=DATE)
    fee_level = forms.ChoiceField(
        label=_("收费等级"), required=False, choices=[("", "—"), *FeeLevel.choices]
    )
    fee_per_sqm = forms.DecimalField(
        label=_("物业费（元/㎡·月）"), required=False, max_digits=6, decimal_places=2
    )
    note = forms.CharField(label=_("备注"), max_length=300, required=False)

    def __init__(self, *args: Any, estates: QuerySet[Area], actor: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["area"].for_actor(actor, estates)  # type: ignore[attr-defined]
        self.fields["company"].queryset = PropertyCompany.objects.filter(is_active=True)  # type: ignore[attr-defined]


class TerminateForm(forms.Form):
    on = forms.DateField(label=_("终止日期"), widget=DATE)
    note = forms.CharField(label=_("原因"), max_length=200, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件"))


class CommitteeForm(forms.Form):
    area = PlaceChoiceField(queryset=Area.objects.none(), kind="estate", label=_("小区"))
    name = forms.CharField(label=_("名称"), max_length=100, required=False)
    term_starts_on = forms.DateField(label=_("任期开始"), widget=DATE)
    term_ends_on = forms.DateField(label=_("任期结束"), widget=DATE)
    filed_on = forms.DateField(label=_("备案日期"), required=False, widget=DATE)
    party_org = forms.ModelChoiceField(
        PartyOrg.objects.none(), label=_("业委会党组织"), required=False
    )
    note = forms.CharField(label=_("备注"), max_length=300, required=False)

    def __init__(
        self,
        *args: Any,
        estates: QuerySet[Area],
        orgs: QuerySet[PartyOrg],
        actor: Any,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fields["area"].for_actor(actor, estates)  # type: ignore[attr-defined]
        self.fields["party_org"].queryset = orgs  # type: ignore[attr-defined]


class MemberForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    role = forms.ChoiceField(
        label=_("职务"), choices=CommitteeRole.choices, initial=CommitteeRole.MEMBER
    )
    is_party_member = forms.BooleanField(label=_("中共党员"), required=False)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)


class MeetingForm(forms.Form):
    community = PlaceChoiceField(queryset=Area.objects.none(), kind="community", label=_("社区"))
    kind = forms.ChoiceField(label=_("会议类型"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("会议主题"), max_length=120)
    held_at = forms.DateTimeField(
        label=_("召开时间"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    place = forms.CharField(label=_("地点"), max_length=120, required=False)
    minutes = forms.CharField(
        label=_("会议纪要"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
    attendees = forms.CharField(
        label=_("参会人员"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "每行一人：参会方、姓名、单位，用空格或逗号分隔。参会方：社区党组织、业主委员会、物业企业、区直部门、居民代表、社区民警、其他。"
        ),
    )
    photos = forms.FileField(
        label=_("照片"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )

    def __init__(self, *args: Any, communities: QuerySet[Area], actor: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["community"].for_actor(actor, communities)  # type: ignore[attr-defined]

    def clean_attendees(self) -> list[tuple[str, str, str]]:
        sides = {str(label): value for value, label in AttendeeSide.choices}
        rows = []
        for number, line in enumerate(self.cleaned_data["attendees"].splitlines(), start=1):
            parts = [p for p in line.replace("，", ",").replace(",", " ").split() if p]
            if not parts:
                continue
            if parts[0] not in sides or len(parts) < 2:
                raise forms.ValidationError(
                    _("第 %(n)d 行须以参会方开头，后接姓名。") % {"n": number}
                )
            rows.append((sides[parts[0]], parts[1], " ".join(parts[2:])))
        return rows


class AgendaForm(forms.Form):
    title = forms.CharField(label=_("议题"), max_length=120)
    description = forms.CharField(
        label=_("内容"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    case_number = forms.CharField(label=_("关联事件编号"), required=False, max_length=20)
    open_case_in = PlaceChoiceField(
        queryset=Area.objects.none(), kind="estate", label=_("新立事件于"), required=False
    )
    category = forms.ModelChoiceField(Category.objects.none(), label=_("事件类别"), required=False)
    outcome = forms.CharField(label=_("议定结果"), max_length=500, required=False)

    def __init__(self, *args: Any, estates: QuerySet[Area], actor: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["open_case_in"].for_actor(actor, estates)  # type: ignore[attr-defined]
        self.fields["category"].queryset = Category.objects.filter(  # type: ignore[attr-defined]
            parent__isnull=False, is_active=True
        ).select_related("parent")


class ResolutionForm(forms.Form):
    text = forms.CharField(label=_("决议事项"), max_length=500)
    unit = forms.ChoiceField(label=_("责任单位"))
    due_on = forms.DateField(label=_("完成时限"), required=False, widget=DATE)
    due_days = forms.IntegerField(
        label=_("或：会后工作日数"), required=False, min_value=1, max_value=250
    )

    def __init__(self, *args: Any, units: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = units  # type: ignore[attr-defined]


class TransitionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("说明"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class ComplaintForm(forms.Form):
    area = PlaceChoiceField(
        queryset=Area.objects.none(), kind="estate_building", label=_("小区/楼栋")
    )
    complaint_type = forms.ChoiceField(label=_("类型"))
    title = forms.CharField(label=_("标题"), max_length=100)
    description = forms.CharField(
        label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    contact_name = forms.CharField(label=_("反映人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("反映人电话"), max_length=20, required=False)
    address = forms.CharField(label=_("详细地址"), max_length=200, required=False)

    def __init__(
        self, *args: Any, areas: QuerySet[Area], actor: Any, dispute: bool = False, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.fields["area"].for_actor(actor, areas)  # type: ignore[attr-defined]
        types = DISPUTE_TYPES if dispute else COMPLAINT_TYPES
        self.fields["complaint_type"].choices = [(t, ComplaintType(t).label) for t in types]  # type: ignore[attr-defined]


class SessionForm(forms.Form):
    held_at = forms.DateTimeField(
        label=_("调解时间"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    place = forms.CharField(label=_("地点"), max_length=120, required=False)
    mediators: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        queryset=Area.objects.none(), label=_("调解员"), widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(
        label=_("调解记录"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000
    )

    def __init__(self, *args: Any, mediators: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["mediators"].queryset = mediators  # type: ignore[attr-defined]


class ConcludeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("调解结果"), choices=MediationOutcome.choices[1:])
    note = forms.CharField(label=_("结果说明"), max_length=500, required=False)
    referral = forms.ChoiceField(
        label=_("移交（调解失败时）"), required=False, choices=Referral.choices
    )
    agreement = forms.FileField(label=_("调解协议书（PDF/图片）"), required=False)


class MediatorForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    role = forms.ChoiceField(
        label=_("职务"), choices=MediatorRole.choices, initial=MediatorRole.MEMBER
    )
    organisation = forms.CharField(label=_("单位/身份"), max_length=100, required=False)


class SurveyForm(forms.Form):
    area = PlaceChoiceField(queryset=Area.objects.none(), kind="estate", label=_("小区"))
    title = forms.CharField(label=_("标题"), max_length=120, required=False)
    period_start = forms.DateField(label=_("评价期开始"), widget=DATE)
    period_end = forms.DateField(label=_("评价期结束"), widget=DATE)
    opens_on = forms.DateField(label=_("开放填写"), widget=DATE)
    closes_on = forms.DateField(label=_("截止填写"), widget=DATE)

    def __init__(self, *args: Any, estates: QuerySet[Area], actor: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["area"].for_actor(actor, estates)  # type: ignore[attr-defined]


SCORE_CHOICES = [(value, label) for value, label in Score.choices]


class AnswerForm(forms.Form):
    """The phone page: how the household proves itself, one 1–5 score per item, a comment."""

    method = forms.ChoiceField(
        label=_("核验方式"),
        widget=forms.RadioSelect,
        initial="code",
        choices=[("code", _("凭发放的一次性码")), ("phone", _("门牌号 + 登记手机号"))],
    )
    code = forms.CharField(label=_("一次性码"), required=False, max_length=12)
    building = AreaPathChoiceField(Area.objects.none(), label=_("楼栋"), required=False)
    unit = forms.CharField(label=_("单元"), required=False, max_length=10)
    room = forms.CharField(label=_("室"), required=False, max_length=10)
    phone = forms.CharField(label=_("登记手机号"), required=False, max_length=20)
    comment = forms.CharField(
        label=_("意见建议（选填，请勿填写个人信息）"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    website = forms.CharField(
        required=False,
        label=_("请勿填写"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, buildings: QuerySet[Area], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = buildings  # type: ignore[attr-defined]
        for item in ITEM_FIELDS:
            self.fields[item] = forms.TypedChoiceField(
                label=SurveyItem(item).label,
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
            )

    def score_fields(self) -> list[Any]:
        return [self[item] for item in ITEM_FIELDS]

    def scores(self) -> dict[str, int]:
        return {item: self.cleaned_data[item] for item in ITEM_FIELDS}


class EstateForm(forms.Form):
    competent_department = forms.ModelChoiceField(
        Department.objects.filter(is_active=True), label=_("主管部门"), required=False
    )
    is_old_estate = forms.BooleanField(label=_("老旧小区"), required=False)
    built_year = forms.IntegerField(
        label=_("建成年份"), required=False, min_value=1949, max_value=2100
    )
    note = forms.CharField(label=_("备注"), max_length=300, required=False)

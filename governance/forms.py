from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Area, Gender, NeedKind, RelationToHead, VulnerableTag
from .places import AreaPathChoiceField
from .services import PersonFields


class DateInput(forms.DateInput):
    input_type = "date"


class HouseholdForm(forms.Form):
    building = AreaPathChoiceField(queryset=Area.objects.none(), label=_("楼栋"))
    unit = forms.CharField(label=_("单元"), max_length=10, required=False)
    room = forms.CharField(label=_("室"), max_length=10)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, buildings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["building"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = buildings


class PersonForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    gender = forms.ChoiceField(
        label=_("性别"),
        choices=[("", "—"), *Gender.choices],
        required=False,
        help_text=_("填写身份证号时可不填，按身份证号识别。"),
    )
    birth_date = forms.DateField(label=_("出生日期"), required=False, widget=DateInput)
    id_number = forms.CharField(label=_("身份证号"), max_length=18, required=False)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)

    def person(self) -> PersonFields:
        data = self.cleaned_data
        return PersonFields(
            name=data["name"],
            gender=data["gender"],
            birth_date=data["birth_date"],
            id_number=data["id_number"],
            phone=data["phone"],
        )


class ResidentForm(PersonForm):
    relation = forms.ChoiceField(label=_("与户主关系"), choices=RelationToHead.choices)
    tags = forms.MultipleChoiceField(
        label=_("关爱标签"),
        choices=VulnerableTag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class NeedForm(forms.Form):
    kind = forms.ChoiceField(label=_("需求类别"), choices=NeedKind.choices)
    description = forms.CharField(
        label=_("需求描述"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    raised_on = forms.DateField(label=_("登记日期"), required=False, widget=DateInput)


class NeedTakeForm(forms.Form):
    taken_by = forms.CharField(
        label=_("认领人/单位"), max_length=100, required=False, help_text=_("不填则为本人。")
    )


class NeedCompleteForm(forms.Form):
    result = forms.CharField(
        label=_("办理结果"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class ImportForm(forms.Form):
    community = forms.ModelChoiceField(queryset=Area.objects.none(), label=_("导入到社区"))
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["community"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = communities
        only = list(communities[:2])
        if len(only) == 1:
            field.initial = only[0].pk

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的 Excel 文件（可先下载模板）。"))
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("文件不能超过 10 MB。"))
        return upload

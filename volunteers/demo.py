from typing import Any

from .models import Department

DEPARTMENTS = [("区住房和城乡建设局", "D001"), ("区民政局", "D002")]


def seed(log: Any) -> None:
    for name, code in DEPARTMENTS:
        Department.objects.get_or_create(code=code, defaults={"name": name})
    log(f"区直部门: {Department.objects.count()} 个")

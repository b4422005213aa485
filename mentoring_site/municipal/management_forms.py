"""The office's forms for management mentoring (CSRF, Russian messages for bad input)."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..admin.forms_base import not_blank
from ..admin.forms_monitoring import AdminForm
from ..compat import Choice, choice
from ..models.management import MgmtStage, TeamKind
from .management import term_error


def choices(pairs) -> list[Choice]:
    """(value, label) pairs as WTForms wants them."""
    return [choice(value, label) for value, label in pairs]


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes (ids)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label: str, **kw):
        super().__init__(label, coerce=int, **kw)

    def pre_validate(self, form) -> None:
        known = {value for value, *_ in self.iter_choices()}
        if any(v not in known for v in self.data or []):
            raise ValidationError("Выберите значения из списка.")


class DirectionForm(AdminForm):
    title = StringField("Направление", validators=[not_blank, Length(max=300)])


class TeamForm(AdminForm):
    school = SelectField("Организация из списка школ", choices=[], validate_choice=False,
                         description="Или оставьте пустым и впишите название ниже.")
    organisation = StringField("Организация (если её нет в списке школ)",
                               validators=[Optional(), Length(max=500)])
    kind = RadioField("Команда", choices=choices(TeamKind.choices()),
                      validators=[InputRequired("Выберите, опытная команда или развивающаяся.")])
    directions = CheckboxesField("Направления менторства")

    def validate_school(self, field) -> None:
        known = {value for value, *_ in field.choices}
        if field.data and field.data not in known:
            raise ValidationError("Выберите школу из списка.")
        if not field.data and not (self.organisation.data or "").strip():
            raise ValidationError("Выберите школу из списка или впишите название организации.")


PRIVATE = "Видит только управление образования, на сайте не показывается."


class MemberForm(AdminForm):
    name = StringField("ФИО", validators=[not_blank, Length(max=300)])
    position = StringField("Должность", validators=[not_blank, Length(max=500)])
    phone = StringField("Телефоны (рабочий, мобильный)", validators=[Optional(), Length(max=100)],
                        description=PRIVATE)
    email = StringField("Электронная почта", validators=[Optional(), Length(max=300)],
                        description=PRIVATE)
    is_leader = BooleanField("Руководитель группы")
    is_contact = BooleanField("Контактное лицо")


class ProgramForm(AdminForm):
    title = StringField("Название программы", validators=[not_blank, Length(max=500)])
    coordinator = StringField("Координатор (ФИО, должность)",
                              validators=[Optional(), Length(max=300)])
    curator = StringField("Муниципальный куратор (ФИО, должность)",
                          validators=[Optional(), Length(max=300)])
    starts_on = DateField("Начало", validators=[Optional()])
    ends_on = DateField("Окончание", validators=[Optional()],
                        description="Срок менторства — от 3 месяцев до одного года.")
    teams = CheckboxesField("Управленческие команды (опытные и развивающиеся)")
    directions = CheckboxesField("Направления менторства")

    def validate_ends_on(self, field) -> None:
        if self.starts_on.data or field.data:
            problem = term_error(self.starts_on.data, field.data)
            if problem:
                raise ValidationError(problem)


class NewProgramForm(AdminForm):
    title = StringField("Название программы", validators=[not_blank, Length(max=500)])


class PlanItemForm(AdminForm):
    stage = SelectField("Этап", choices=choices(MgmtStage.choices()))
    title = TextAreaField("Мероприятие", validators=[not_blank, Length(max=5000)])
    responsible = StringField("Ответственные", validators=[not_blank, Length(max=500)])
    due_on = DateField("Срок исполнения", validators=[InputRequired("Укажите срок.")])


class MarkForm(AdminForm):
    done = RadioField("Отметка о выполнении",
                      choices=choices([("1", "выполнено"), ("0", "не выполнено")]),
                      validators=[InputRequired("Выберите: выполнено или не выполнено.")])
    reason = StringField("Причина (если не выполнено)", validators=[Optional(), Length(max=2000)])


class ReportForm(AdminForm):
    conclusions = TextAreaField("Общие выводы", validators=[not_blank, Length(max=20000)])

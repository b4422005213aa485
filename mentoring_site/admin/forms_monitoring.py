"""The programme page's monitoring forms: plan items and their outcomes, plan templates,
the effectiveness sheet's scores. Labels and messages in Russian."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from ..models import AssessmentStage, PlanStage, Role
from .forms_base import AdminForm, not_blank

NO_CHOICE = 0


class PlanEventForm(AdminForm):
    title = StringField("Мероприятие", validators=[not_blank, Length(max=500)])
    stage = SelectField("Этап", choices=[SelectChoice("", "— без этапа —"),
                                         *(SelectChoice(v, lb) for v, lb in PlanStage.choices())],
                        default="")
    work_form_id = SelectField("Форма работы", coerce=int, default=NO_CHOICE)
    responsible = StringField("Ответственный", validators=[Optional(), Length(max=300)])
    due_on = DateField("Срок", validators=[Optional()])


class DoneForm(AdminForm):
    done_on = DateField("Выполнено", validators=[InputRequired("Укажите дату выполнения.")])
    result = TextAreaField("Результат", validators=[Optional(), Length(max=2000)])


class NotDoneForm(AdminForm):
    reason = TextAreaField("Причина невыполнения", validators=[not_blank, Length(max=2000)])


class TemplateForm(AdminForm):
    template_id = SelectField("Шаблон плана", coerce=int)


class ScoreForm(AdminForm):
    """Who and when; the answers themselves are radio groups named ``i<indicator id>``."""

    person_id = SelectField("Кого оценивают", coerce=int, default=NO_CHOICE)
    stage = SelectField("Этап оценки", choices=[SelectChoice(v, lb)
                                                for v, lb in AssessmentStage.choices()])
    scored_on = DateField("Дата оценки", validators=[InputRequired("Укажите дату оценки.")])
    assessor_name = StringField("Кто оценивал", validators=[not_blank, Length(max=200)])


# -- the school's lists -----------------------------------------------------------------


class DirectionForm(AdminForm):
    name = StringField("Направление", validators=[not_blank, Length(max=300)])
    sort = IntegerField("Порядок в списке", default=0, validators=[Optional()])


class WorkFormForm(AdminForm):
    name = StringField("Форма работы", validators=[not_blank, Length(max=200)])
    sort = IntegerField("Порядок в списке", default=0, validators=[Optional()])


class CategoryForm(AdminForm):
    name = StringField("Категория", validators=[not_blank, Length(max=300)])
    role = SelectField("Для кого", choices=[SelectChoice(v, lb) for v, lb in Role.choices()])
    young_specialist = BooleanField("Молодой специалист (стаж до 3 лет)")
    sort = IntegerField("Порядок в списке", default=0, validators=[Optional()])


class SheetForm(AdminForm):
    version = HiddenField()
    name = StringField("Название листа", validators=[not_blank, Length(max=300)])
    active = BooleanField("Действующий (по нему ставят новые оценки)", default=True)


class CriterionForm(AdminForm):
    title = StringField("Новый критерий", validators=[not_blank, Length(max=500)])


class IndicatorForm(AdminForm):
    criterion_id = SelectField("Критерий", coerce=int)
    title = StringField("Новый показатель", validators=[not_blank, Length(max=500)])


class LevelsForm(AdminForm):
    """The bands themselves are inputs named ``name<id>``, ``min<id>``, ``max<id>``."""

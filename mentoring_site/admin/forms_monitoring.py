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
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..compat import choice
from ..models import AssessmentStage, PlanStage, Role
from .forms_base import AdminForm as _AdminForm
from .forms_base import not_blank

NO_CHOICE = 0

#: WTForms' own messages (a number or a choice that cannot be read) in Russian.
_RUSSIAN = {
    "Not a valid integer value.": "Введите целое число (цифрами 0–9).",
    "Not a valid decimal value.": "Введите число.",
    "Not a valid date value.": "Введите дату в виде ДД.ММ.ГГГГ.",
    "Not a valid choice.": "Выберите значение из списка.",
    "Invalid Choice: could not coerce.": "Выберите значение из списка.",
    "Invalid choice(s): one or more data inputs could not be coerced.":
        "Выберите значения из списка.",
    "Number must be between %(min)s and %(max)s.": "Введите число от %(min)s до %(max)s.",
    "Number must be at least %(min)s.": "Введите число не меньше %(min)s.",
    "Number must be at most %(max)s.": "Введите число не больше %(max)s.",
    "Field cannot be longer than %(max)d character.": "Не длиннее %(max)d знака.",
    "Field cannot be longer than %(max)d characters.": "Не длиннее %(max)d знаков.",
    "Field must be at least %(min)d character long.": "Не короче %(min)d знака.",
    "Field must be at least %(min)d characters long.": "Не короче %(min)d знаков.",
    "Field must be between %(min)d and %(max)d characters long.":
        "Длина — от %(min)d до %(max)d знаков.",
    "This field is required.": "Заполните это поле.",
}


class _Russian:
    def gettext(self, string: str) -> str:
        return _RUSSIAN.get(string, string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


class AdminForm(_AdminForm):
    """The monitoring screens' forms: bad numbers and choices refused in Russian."""

    class Meta(_AdminForm.Meta):
        def get_translations(self, form):
            return _Russian()


def _sort_field(label: str) -> IntegerField:
    return IntegerField(label, default=0,
                        validators=[Optional(), NumberRange(min=-10_000, max=10_000)])


class PlanEventForm(AdminForm):
    title = StringField("Мероприятие", validators=[not_blank, Length(max=500)])
    stage = SelectField("Этап", choices=[choice("", "— без этапа —"),
                                         *(choice(v, lb) for v, lb in PlanStage.choices())],
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
    stage = SelectField("Этап оценки", choices=[choice(v, lb)
                                                for v, lb in AssessmentStage.choices()])
    scored_on = DateField("Дата оценки", validators=[InputRequired("Укажите дату оценки.")])
    assessor_name = StringField("Кто оценивал", validators=[not_blank, Length(max=200)])


# -- the school's lists -----------------------------------------------------------------


class DirectionForm(AdminForm):
    name = StringField("Направление", validators=[not_blank, Length(max=300)])
    sort = _sort_field("Порядок в списке")


class WorkFormForm(AdminForm):
    name = StringField("Форма работы", validators=[not_blank, Length(max=200)])
    sort = _sort_field("Порядок в списке")


class CategoryForm(AdminForm):
    name = StringField("Категория", validators=[not_blank, Length(max=300)])
    role = SelectField("Для кого", choices=[choice(v, lb) for v, lb in Role.choices()])
    young_specialist = BooleanField("Молодой специалист (стаж до 3 лет)")
    sort = _sort_field("Порядок в списке")


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


class StructureForm(AdminForm):
    """Titles and order numbers of the criteria and indicators: inputs named ``c<id>``,
    ``i<id>`` (titles) and ``sc<id>``, ``si<id>`` (order numbers)."""


class ScaleForm(AdminForm):
    """The answer scale: inputs named ``label<id>`` and ``points<id>``."""


class AnswerAddForm(AdminForm):
    label = StringField("Подпись ответа", validators=[not_blank, Length(max=200)])
    points = StringField("Баллы", validators=[not_blank, Length(max=40)])


class CriterionRemoveForm(AdminForm):
    criterion_id = SelectField("Критерий", coerce=int)


class IndicatorRemoveForm(AdminForm):
    indicator_id = SelectField("Показатель", coerce=int)


class AnswerRemoveForm(AdminForm):
    answer_id = SelectField("Ответ шкалы", coerce=int)


class RescoreForm(AdminForm):
    """A saved score corrected: its date and assessor, the answers as ``i<id>`` radios and
    the version the correction began from."""

    version = HiddenField()
    scored_on = DateField("Дата оценки", validators=[InputRequired("Укажите дату оценки.")])
    assessor_name = StringField("Кто оценивал", validators=[not_blank, Length(max=200)])


# -- plan templates ---------------------------------------------------------------------------


class PlanTemplateForm(AdminForm):
    name = StringField("Название шаблона", validators=[not_blank, Length(max=300)])
    description = TextAreaField("Описание", validators=[Optional(), Length(max=5000)])


_STAGES = [choice(v, lb) for v, lb in PlanStage.choices()]


class TemplateItemForm(AdminForm):
    title = StringField("Мероприятие", validators=[not_blank, Length(max=500)])
    stage = SelectField("Этап", choices=_STAGES)
    work_form_id = SelectField("Форма работы", coerce=int, default=NO_CHOICE)
    responsible = StringField("Ответственный", validators=[Optional(), Length(max=300)])
    due_offset_days = IntegerField(
        "Срок: дней от начала программы", default=0,
        validators=[InputRequired("Укажите, через сколько дней от начала программы."),
                    NumberRange(min=0, max=3650)])

"""All models, one module per aggregate; importing this registers every table."""

from .accounts import Account, AccountRole, AuditEntry, LoginThrottle
from .content import (
    Case,
    CaseAttachment,
    CasePhoto,
    DocKind,
    DocLevel,
    Document,
    Honor,
    Material,
    MaterialKind,
    NewsItem,
    NewsKind,
    Page,
    SectionInfo,
    SlugHistory,
    Status,
)
from .events import EventRegistration, MailMessage, Registration, RegistrationStatus
from .forms import (
    Answer,
    AnswerStatus,
    ConsentPurpose,
    ProcessingConsent,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnairePurpose,
)
from .league import (
    LeagueDirection,
    LeagueKey,
    LeagueMember,
    LeagueSource,
    LeagueState,
)
from .management import (
    MgmtDirection,
    MgmtMember,
    MgmtPlanItem,
    MgmtProgram,
    MgmtStage,
    MgmtState,
    MgmtTeam,
    TeamKind,
)
from .media import MediaFile, MediaKind
from .monitoring import (
    AnswerOption,
    Assessment,
    AssessmentAnswer,
    AssessmentStage,
    Criterion,
    Direction,
    Indicator,
    Level,
    PersonCategory,
    PlanTemplate,
    PlanTemplateItem,
    Sheet,
    WorkForm,
)
from .people import Consent, Person, PersonKind, ProcessingAgreement
from .programs import (
    EarlyEndReason,
    Participation,
    PlanEvent,
    PlanOutcome,
    PlanStage,
    Program,
    ProgramExtension,
    ProgramForm,
    ProgramStatus,
    ProgramType,
    Role,
    TargetGroup,
)
from .registry import (
    RegistryCase,
    RegistryMentor,
    RegistryPage,
    RegistryRun,
    RegistrySchool,
    RegistrySnapshot,
)

__all__ = [
    "Account", "AccountRole", "AuditEntry", "LoginThrottle", "Case", "CaseAttachment",
    "CasePhoto", "Consent",
    "DocKind", "DocLevel", "Document", "EarlyEndReason", "Honor", "Material", "MaterialKind",
    "MediaFile", "MediaKind", "NewsItem", "NewsKind", "Page", "Participation", "Person",
    "PersonKind", "PlanEvent", "ProcessingAgreement", "Program", "ProgramExtension", "ProgramForm",
    "ProgramStatus",
    "ProgramType", "Role", "SectionInfo", "SlugHistory", "Status", "TargetGroup",
    # monitoring
    "AnswerOption", "Assessment", "AssessmentAnswer", "AssessmentStage", "Criterion",
    "Direction", "Indicator", "Level", "PersonCategory", "PlanOutcome", "PlanStage",
    "PlanTemplate", "PlanTemplateItem", "Sheet", "WorkForm",
    # questionnaires
    "Answer", "AnswerStatus", "ConsentPurpose", "ProcessingConsent", "Question", "QuestionKind",
    "Questionnaire", "QuestionnairePurpose",
    # event registration, mail
    "EventRegistration", "MailMessage", "Registration", "RegistrationStatus",
    # the municipal registry (an office's site)
    "RegistryCase", "RegistryMentor", "RegistryPage", "RegistryRun", "RegistrySchool",
    "RegistrySnapshot",
    # the League of mentor schools (an office's site)
    "LeagueDirection", "LeagueKey", "LeagueMember", "LeagueSource", "LeagueState",
    # management mentoring (the office's site)
    "MgmtDirection", "MgmtMember", "MgmtPlanItem", "MgmtProgram", "MgmtStage", "MgmtState",
    "MgmtTeam", "TeamKind",
]

"""Askel's custom actions for Rasa. Each reads the tracker, calls a backend service, and says
what the service returned; the rules live in `backend.services`."""

from __future__ import annotations

from rasa_sdk import Action

from actions.appointments import (
    ActionAppointmentAnswer,
    ActionAppointmentSave,
    ActionAppointmentStart,
    ActionAskAppointmentWords,
    ActionCannotAttend,
    ActionCannotAttendDone,
    ActionListAppointments,
    ActionWordsInContext,
    ValidateAppointmentForm,
    ValidateCannotAttendForm,
)
from actions.checkins import (
    ActionChangeSchedule,
    ActionCheckinDone,
    ActionCheckinStart,
    ActionPauseReminders,
    ActionRecordReport,
    ValidateEveningCheckinForm,
)
from actions.contact_coach import ActionContactCoach
from actions.goals import (
    ActionAskGoalWords,
    ActionGoalNewStep,
    ActionGoalSave,
    ActionGoalSmallerStep,
    ActionGoalStart,
    ActionGoalStepAgain,
    ActionGoalStepNext,
    ActionShowGoals,
    ActionStepOutcome,
)
from actions.greet import ActionGreet
from actions.my_data import ActionAskDelete, ActionShowMyData
from actions.onboarding import ActionNotUnderstood, ActionSetCheckinTime, ActionStartOnboarding
from actions.questions import ActionAnswerYesNo
from actions.safety import ActionCrisisSupport
from actions.stop_messages import ActionStopMessages
from backend.context import AppContext


def build_actions(context: AppContext) -> list[Action]:
    """Every action, built with the context it needs (no action reaches for a global)."""
    return [
        ActionAppointmentAnswer(context),
        ActionAppointmentSave(context),
        ActionAppointmentStart(context),
        ActionAskAppointmentWords(context),
        ActionCannotAttend(context),
        ActionCannotAttendDone(context),
        ActionListAppointments(context),
        ActionWordsInContext(context),
        ValidateAppointmentForm(context),
        ValidateCannotAttendForm(),
        ActionAnswerYesNo(context),
        ActionAskDelete(),
        ActionAskGoalWords(context),
        ActionChangeSchedule(context),
        ActionCheckinDone(context),
        ActionCheckinStart(),
        ActionContactCoach(context),
        ActionCrisisSupport(context),
        ActionGoalNewStep(context),
        ActionGoalSave(context),
        ActionGoalSmallerStep(context),
        ActionGoalStart(context),
        ActionGoalStepAgain(context),
        ActionGoalStepNext(context),
        ActionGreet(context),
        ActionNotUnderstood(context),
        ActionPauseReminders(context),
        ActionRecordReport(context),
        ActionSetCheckinTime(context),
        ActionShowGoals(context),
        ActionShowMyData(context),
        ActionStartOnboarding(),
        ActionStepOutcome(context),
        ActionStopMessages(context),
        ValidateEveningCheckinForm(),
    ]

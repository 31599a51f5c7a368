"""Values shown through ``_()`` in templates (roles, kinds, actions, states), listed here so that
``pybabel extract`` finds them: templates translate them with ``{{ _(value) }}``."""

from __future__ import annotations

from fenghuo.core.i18n import N_

VALUE_LABELS = (
    N_("viewer"), N_("member"), N_("admin"),
    N_("enterprise"), N_("guidance_centre"), N_("exhibition_station"), N_("trade_promotion"), N_("insurer"),
    N_("administration"),
    N_("create"), N_("update"), N_("delete"), N_("grant"), N_("revoke"), N_("login"), N_("logout"), N_("lockout"),
    N_("read"), N_("write"),
    N_("new"), N_("reviewing"), N_("action_taken"), N_("dismissed"),
    N_("high"), N_("medium"), N_("low"),
    N_("pending"), N_("registered"), N_("ended"), N_("expired"), N_("unknown"),
)

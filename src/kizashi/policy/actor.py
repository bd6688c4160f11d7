"""Who is acting: the `Actor` every service takes, built once per command line or web request and never recomputed
inside a call.

A command builds it from the operating-system login (or a credential of the user it acts as), a web or API request
from its session or personal token (kizashi.protect.people.identity). Services read the clearance, roles and
organisation from it, and name it in every audit event with the address and the way it came (`origin`, `via`).
"""

from __future__ import annotations

from dataclasses import dataclass

from kizashi.policy.labels import Clearance


@dataclass(frozen=True, slots=True)
class Actor:
    clearance: Clearance
    origin: str | None = None  # the client's address (web and API); None on the command line
    via: str = ""  # how the call came: "cli: kizashi list", "GET /needs/x", "api: GET /api/records/needs"
    # False: a workspace with no users yet, whose operator (its owner) reads and does everything
    managed: bool = True
    credential: str = ""  # what proved who it is: os-login, token, password, session, operator
    display_name: str | None = None

    @property
    def user(self) -> str:
        return self.clearance.user

    @property
    def roles(self) -> frozenset[str]:
        return self.clearance.roles

    @property
    def organisation(self) -> str | None:
        return self.clearance.organisation

    @classmethod
    def operator(cls, name: str, *, via: str = "", origin: str | None = None) -> Actor:
        """The operator of a workspace without users (who holds its files anyway), or a trusted internal job: reads
        every record and may do everything."""
        return cls(Clearance.everything(name), origin, via, managed=False, credential="operator")

    def calling(self, via: str) -> Actor:
        """The same actor, naming another way in (a command that runs a second service for the first)."""
        return Actor(self.clearance, self.origin, via, self.managed, self.credential, self.display_name)

"""The program's facts: ``content/program.yaml``."""

from __future__ import annotations

from pydantic import Field

from fkj_cli.content.types import Markdown, Money, MonthDate, OrgNumber, Share, Slug, Strict


class Organisation(Strict):
    name: str = Field(min_length=1)
    short_name: str | None = None
    org_number: OrgNumber | None = None


class Company(Strict):
    organisation: Slug
    owner: Slug
    ownership: Share
    founded: MonthDate


class Seat(Strict):
    """Seats a body gives to one party: an organisation id or a municipality slug."""

    represents: Slug
    role: str = Field(default="medlem", min_length=1)
    count: int = Field(default=1, ge=1)
    up_to: bool = False


class Chair(Strict):
    name: str = Field(min_length=1)
    title: str = Field(min_length=1)
    represents: Slug
    since: MonthDate


class Body(Strict):
    name: str = Field(min_length=1)
    appointed_by: Slug
    purpose: Markdown
    chair: Chair | None = None
    seats: list[Seat] = Field(min_length=1)
    observers: list[Slug] = Field(default_factory=list)


class FundingYear(Strict):
    year: int = Field(ge=2000, le=2100)
    amount: Money
    basis: str = Field(min_length=1)


class Funding(Strict):
    grantor: Slug
    administrator: Slug
    recipient: Slug
    years: list[FundingYear] = Field(min_length=1)
    total: Money
    note: Markdown | None = None


class LetterOfIntent(Strict):
    signed: int = Field(ge=0)
    eligible: int = Field(ge=1)
    deadline: MonthDate
    share_of_inhabitants: Markdown


class Commitment(Strict):
    """The condition for state funding beyond 2022, counted outside one health region."""

    threshold: Share
    excluded_region: str = Field(min_length=1)
    excluded_counties: list[str] = Field(min_length=1)


class Milestone(Strict):
    id: Slug
    date: MonthDate
    text: Markdown


class Program(Strict):
    name: str = Field(min_length=1)
    short_name: str = Field(min_length=1)
    former_name: str | None = None
    vision: Markdown
    organisations: dict[Slug, Organisation]
    company: Company
    bodies: dict[Slug, Body]
    funding: Funding
    letter_of_intent: LetterOfIntent
    commitment: Commitment
    goals: list[Markdown] = Field(min_length=1)
    milestones: list[Milestone] = Field(min_length=1)

    def milestone(self, ref: str) -> Milestone:
        return next(m for m in self.milestones if m.id == ref)

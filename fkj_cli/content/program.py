"""The program's facts: ``content/program.yaml``."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from fkj_cli.content.types import (
    TO_FILL_ARCHIVE,
    Markdown,
    Money,
    MonthDate,
    Name,
    OrgNumber,
    Share,
    Slug,
    Sourced,
    Strict,
)


class PostalAddress(Strict):
    """A postal address as a Noark 5 correspondence party has it: its lines, postnummer and poststed."""

    postadresse: list[str] = Field(min_length=1)  # the lines before the postnummer (Postboks 8011 Dep)
    postnummer: str = Field(pattern=r"^[0-9]{4}$")
    poststed: str = Field(min_length=1)


class Organisation(Sourced):
    name: Name
    short_name: str | None = None
    # Where content writes them empty, what needs them (an archive package from the organisation) waits.
    org_number: Annotated[OrgNumber | None, TO_FILL_ARCHIVE] = None
    address: Annotated[PostalAddress | None, TO_FILL_ARCHIVE] = None


class Company(Sourced):
    organisation: Slug
    owner: Slug
    ownership: Share
    founded: MonthDate


class Seat(Strict):
    """Seats a body gives to one party: an organisation id or a municipality slug."""

    represents: Slug
    role: str = Field(default="medlem", min_length=1)
    count: int | None = Field(default=None, ge=1)  # None: the sources give no number
    up_to: bool = False


class Chair(Sourced):
    name: str = Field(min_length=1)
    title: str = Field(min_length=1)
    represents: Slug
    since: MonthDate


class Body(Sourced):
    name: str = Field(min_length=1)
    appointed_by: Slug | None = None  # an organisation or another body; None where the sources do not say
    purpose: Markdown
    chair: Chair | None = None
    seats: list[Seat] = Field(min_length=1)
    observers: list[Slug] = Field(default_factory=list)


class FundingYear(Sourced):
    year: int = Field(ge=2000, le=2100)
    amount: Money
    basis: str = Field(min_length=1)


class Funding(Sourced):
    grantor: Slug
    administrator: Slug
    recipient: Slug
    years: list[FundingYear] = Field(min_length=1)
    total: Money
    note: Markdown | None = None


class LetterOfIntent(Sourced):
    signed: int = Field(ge=0)
    eligible: int = Field(ge=1)
    deadline: MonthDate
    share_of_inhabitants: Markdown


class Commitment(Sourced):
    """The condition for state funding beyond 2022, counted outside one health region."""

    threshold: Share
    excluded_region: Name
    excluded_counties: list[str] = Field(min_length=1)


class Milestone(Sourced):
    id: Slug
    date: MonthDate
    text: Markdown


class Source(Strict):
    """A source the program's facts are taken from, as a document's list of sources shows it."""

    reference: Markdown  # e.g. "Bærum kommune, notat 20.09.2021 (arkivsaksnr. 20/8813)"
    url: str | None = None


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
    sources: dict[Slug, Source] = Field(default_factory=dict)

    def milestone(self, ref: str) -> Milestone:
        return next(m for m in self.milestones if m.id == ref)

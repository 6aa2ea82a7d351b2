"""Value types shared by the content models: amounts, dates, numbers, references."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema


class Strict(BaseModel):
    """Base for every content model: unknown keys and loose types are errors."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ToFill:
    """Marks a field a document may leave blank to fill in (``Annotated[X | None, TO_FILL]``): the document
    shows its label with a visible blank, and `fkj validate` lists the field as open (a warning) where
    content writes it empty, saying by when it is needed."""

    def __init__(self, by: str = "before the document is sent") -> None:
        self.by = by

    def __repr__(self) -> str:
        return "TO_FILL" if self.by == TO_FILL.by else f"ToFill({self.by!r})"


TO_FILL = ToFill()
# What only the archive package needs (`fkj package`): no document shows it.
TO_FILL_ARCHIVE = ToFill("before the mailing is archived (fkj package)")


class Sourced(Strict):
    """A fact with where it comes from: ``source``, the id of an entry in program.yaml's ``sources``,
    or ``assumption: true`` where no source gives it and the program assumes it. `fkj validate`
    warns about a fact with neither; a document lists the sources of the facts it prints."""

    source: Slug | None = None
    assumption: bool = False


# County numbers (SSB); the first two digits of a kommunenummer. The 2024 structure, and the
# counties of 2020–2023 that it split.
COUNTIES: dict[str, str] = {
    "03": "Oslo",
    "11": "Rogaland",
    "15": "Møre og Romsdal",
    "18": "Nordland",
    "30": "Viken",  # 2020–2023
    "31": "Østfold",
    "32": "Akershus",
    "33": "Buskerud",
    "34": "Innlandet",
    "38": "Vestfold og Telemark",  # 2020–2023
    "39": "Vestfold",
    "40": "Telemark",
    "42": "Agder",
    "46": "Vestland",
    "50": "Trøndelag",
    "54": "Troms og Finnmark",  # 2020–2023
    "55": "Troms",
    "56": "Finnmark",
}

UNITS = {"NOK": Decimal(1), "MNOK": Decimal(1_000_000)}
_AMOUNT = re.compile(r"^\s*(-?\d[\d\u00a0 ]*(?:[.,]\d+)?)\s*(\S+)\s*$")


def _kommunenummer(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        raise ValueError(f'write the kommunenummer as a quoted string, like "{value:04d}"')
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}", value):
        raise ValueError(f"a kommunenummer is four digits, not {value!r}")
    if value[:2] not in COUNTIES:
        raise ValueError(f"{value} does not start with a county number ({', '.join(COUNTIES)})")
    return value


Kommunenummer = Annotated[
    str,
    BeforeValidator(_kommunenummer),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^(" + "|".join(COUNTIES) + r")\d{2}$",
            "description": 'A kommunenummer: four digits in quotes, starting with a county number, like "4602".',
        }
    ),
]

_MOD11_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def _org_number(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not re.fullmatch(r"\d{9}", value.replace(" ", "")):
        raise ValueError(f"an organisation number is nine digits, not {value!r}")
    digits = value.replace(" ", "")
    remainder = sum(int(d) * w for d, w in zip(digits, _MOD11_WEIGHTS, strict=False)) % 11
    check = 0 if remainder == 0 else 11 - remainder
    if check == 10 or check != int(digits[8]):
        raise ValueError(f"organisation number {digits} has a wrong check digit (MOD11); check it in Enhetsregisteret")
    return digits


# Enhetsregisteret's organisasjonsnummer: nine digits, the last a MOD11 check digit.
OrgNumber = Annotated[
    str,
    BeforeValidator(_org_number),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{3} ?\d{3} ?\d{3}$",
            "description": 'An organisation number from Enhetsregisteret: nine digits in quotes, like "971032146".',
        }
    ),
]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Share = Annotated[float, Field(ge=0, le=1)]


RAW_MARKUP = re.compile(r"\{=[A-Za-z0-9_+-]*\}")  # pandoc's raw attribute: {=openxml}, {=typst}, {=html}


class Text(Strict):
    """A text in bokmål and, where written, nynorsk: ``"..."`` or ``{nb: ..., nn: ...}``.

    A plain string is bokmål. A nynorsk document that needs a text with no
    ``nn`` fails, unless the text says ``allow_fallback: true``.
    """

    nb: str = Field(min_length=1)
    nn: str | None = Field(default=None, min_length=1)
    allow_fallback: bool = False

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, data: Any) -> Any:
        return {"nb": data} if isinstance(data, str) else data

    @field_validator("nb", "nn")
    @classmethod
    def _no_raw_markup(cls, value: str | None) -> str | None:
        """A text is Markdown only: pandoc's raw attributes (`` `...`{=openxml} ``, a ```` ```{=typst} ````
        block) would hand the DOCX's XML or the PDF's typst whatever the text says, unchecked; the
        templates may use them, content may not."""
        if value is not None and (m := RAW_MARKUP.search(value)):
            raise ValueError(
                f"raw output markup {m.group()!r} is not allowed in a text: it would go into the DOCX or PDF "
                "unchecked and can break it; write Markdown"
            )
        return value

    def __str__(self) -> str:
        return self.nb

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        written = handler.resolve_ref_schema(handler(schema))
        return {
            "description": "A text: a string (bokmål), or {nb: ..., nn: ...} with nynorsk beside it.",
            "anyOf": [{"type": "string", "minLength": 1}, {k: v for k, v in written.items() if k != "description"}],
        }


# Texts are Markdown and Jinja at once, in one or both written languages.
Markdown = Text


class Passage(Sourced):
    """A passage whose facts come from one source (or that the program assumes): the document lists the
    source among those of the facts it printed."""

    text: Markdown


def _name(value: Any) -> Any:
    return {"nb": value, "allow_fallback": True} if isinstance(value, str) else value


# A name: the same in both written languages when written as one string ("KS"), or {nb: ..., nn: ...}
# where nynorsk writes it otherwise ("helseregion Midt-Noreg").
Name = Annotated[Text, BeforeValidator(_name)]


class WrittenAsString(Strict):
    """A value content writes as one string; its JSON Schema (for editors) is that string's."""

    json_string: ClassVar[dict[str, Any]] = {"type": "string"}

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return {"type": "string", **cls.json_string}


class Money(WrittenAsString):
    """An amount with its unit, written in content as ``"91,4 MNOK"`` or ``"20 NOK"``."""

    json_string: ClassVar[dict[str, Any]] = {
        "pattern": r"^\s*-?\d[\d\u00a0 ]*([.,]\d+)?\s*(NOK|MNOK)\s*$",
        "description": 'An amount with its unit, in quotes: "91,4 MNOK" or "20 NOK".',
        "examples": ["91,4 MNOK", "20 NOK"],
    }

    value: Decimal
    unit: Literal["NOK", "MNOK"]

    @model_validator(mode="before")
    @classmethod
    def _parse(cls, data: Any) -> Any:
        if isinstance(data, (int, float)) and not isinstance(data, bool):
            raise ValueError(f"an amount needs its unit: write '{data} MNOK' or '{data} NOK'")
        if not isinstance(data, str):
            raise ValueError(f"an amount is written like '91,4 MNOK', not {data!r}")
        match = _AMOUNT.match(data)
        if match is None:
            raise ValueError(f"an amount is written like '91,4 MNOK', not {data!r}")
        number, unit = match.groups()
        if unit not in UNITS:
            raise ValueError(f"unknown unit {unit!r} in {data!r}; use one of {', '.join(UNITS)}")
        try:
            value = Decimal(number.replace("\u00a0", "").replace(" ", "").replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            raise ValueError(f"not a number: {number!r}") from None
        return {"value": value, "unit": unit}

    @property
    def nok(self) -> Decimal:
        return self.value * UNITS[self.unit]

    def __str__(self) -> str:
        return f"{self.value} {self.unit}"


class MonthDate(WrittenAsString):
    """A date given to the day (``2022-06-30``) or only to the month (``2022-09``)."""

    json_string: ClassVar[dict[str, Any]] = {
        "pattern": r"^\d{4}-\d{2}(-\d{2})?$",
        "description": 'A date, 2022-06-30, or a month in quotes, "2022-09".',
    }

    year: int
    month: int = Field(ge=1, le=12)
    day: int | None = None

    @model_validator(mode="before")
    @classmethod
    def _parse(cls, data: Any) -> Any:
        if isinstance(data, dt.date) and not isinstance(data, dt.datetime):
            return {"year": data.year, "month": data.month, "day": data.day}
        if isinstance(data, str):
            match = re.fullmatch(r"(\d{4})-(\d{2})", data.strip())
            if match:
                return {"year": int(match[1]), "month": int(match[2])}
        raise ValueError(f"a date is written 2022-06-30, or 2022-09 for a month; not {data!r}")

    @property
    def last_day(self) -> dt.date:
        """The latest day this date stands for: itself, or the month's last day."""
        day = self.day or calendar.monthrange(self.year, self.month)[1]
        return dt.date(self.year, self.month, day)

"""The options of `member add`, `edit` and `transfer-in` that set a member's fields, built
once from `member_schema` rather than copied into each command."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer

from tanhung_cli import member_schema

F = TypeVar("F", bound=Callable[..., Any])
# The parameter of a command that receives the fields its options gave, as the member
# file's columns: {"full_name": "Lê Văn Tư", "birth_date": "02/03/1990", …}.
FIELDS_PARAM = "fields"


def _parameter(field: member_schema.Field, required: bool, prefix: str) -> inspect.Parameter:
    option = typer.Option(field.option, help=prefix + field.help)
    if required:
        return inspect.Parameter(
            field.param, inspect.Parameter.KEYWORD_ONLY, annotation=Annotated[str, option]
        )
    return inspect.Parameter(
        field.param,
        inspect.Parameter.KEYWORD_ONLY,
        annotation=Annotated[str | None, option],
        default=None,
    )


def member_options(command: str, *, required: bool = False, prefix: str = "") -> Callable[[F], F]:
    """Give a command the options of the member fields ``command`` takes, in place of its
    ``fields`` parameter, which receives the values given (``required``: the fields a
    new member must have are required options; ``prefix`` starts each help)."""

    def decorate(func: F) -> F:
        own = inspect.signature(func, eval_str=True)
        fields = member_schema.options(command)
        added = [_parameter(f, required and f.required, prefix) for f in fields]
        params: list[inspect.Parameter] = []
        for param in own.parameters.values():
            if param.name == FIELDS_PARAM:
                params += added
            else:  # Typer passes every value by name
                params.append(param.replace(kind=inspect.Parameter.KEYWORD_ONLY))
        names = {f.param: f.name for f in fields}

        @functools.wraps(func)
        def command_with_fields(**kwargs: Any) -> Any:
            given = {names[p]: kwargs.pop(p) for p in names}
            kwargs[FIELDS_PARAM] = {k: v for k, v in given.items() if v is not None}
            return func(**kwargs)

        command_with_fields.__signature__ = own.replace(parameters=params)  # type: ignore[attr-defined]
        command_with_fields.__annotations__ = {p.name: p.annotation for p in params}
        return command_with_fields  # type: ignore[return-value]

    return decorate

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.run_code_error_type_0 import RunCodeErrorType0
    from ..models.run_code_result_item import RunCodeResultItem


T = TypeVar("T", bound="RunCodeOutput")


@_attrs_define
class RunCodeOutput:
    """The decoded output of `run_code`. An exception in the user's code is not a tool error: it sets
    `executionError` (a one-line summary, read by all clients) and `error` (its parts).
    Clients also read the formats earlier services sent, listed in `x-agb-client-variants`: the
    "rich" format (`RunCodeRichOutput`), the same document wrapped in a content list
    (`RunCodeWrappedOutput`), and plain text (the value of the code, as `text/plain`).

        Example:
            {'result': [{'text/plain': '42', 'isMainResult': True}], 'stdout': ['hello\\n'], 'stderr': [], 'executionError':
                None, 'error': None, 'execution_count': 1, 'execution_time': 0.004}

        Attributes:
            result (list[RunCodeResultItem | str]):
            stdout (list[str]):
            stderr (list[str]):
            execution_error (None | str | Unset):
            error (None | RunCodeErrorType0 | Unset): The exception a code run raised (`null` when there was none). A
                runtime that died under the cell (out
                of memory, killed; with it the sandbox, which is then restarted) is an error of the run too, named
                `KernelDied` (Python) or `RuntimeDied` (another language): its state is lost, the session goes on.
                 Example: {'name': 'NameError', 'value': "name 'y' is not defined", 'traceback': "NameError: name 'y' is not
                defined"}.
            execution_count (int | None | Unset):
            execution_time (float | Unset): Seconds.
    """

    result: list[RunCodeResultItem | str]
    stdout: list[str]
    stderr: list[str]
    execution_error: None | str | Unset = UNSET
    error: None | RunCodeErrorType0 | Unset = UNSET
    execution_count: int | None | Unset = UNSET
    execution_time: float | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.run_code_error_type_0 import RunCodeErrorType0
        from ..models.run_code_result_item import RunCodeResultItem

        result = []
        for result_item_data in self.result:
            result_item: dict[str, Any] | str
            if isinstance(result_item_data, RunCodeResultItem):
                result_item = result_item_data.to_dict()
            else:
                result_item = result_item_data
            result.append(result_item)

        stdout = self.stdout

        stderr = self.stderr

        execution_error: None | str | Unset
        if isinstance(self.execution_error, Unset):
            execution_error = UNSET
        else:
            execution_error = self.execution_error

        error: dict[str, Any] | None | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        elif isinstance(self.error, RunCodeErrorType0):
            error = self.error.to_dict()
        else:
            error = self.error

        execution_count: int | None | Unset
        if isinstance(self.execution_count, Unset):
            execution_count = UNSET
        else:
            execution_count = self.execution_count

        execution_time = self.execution_time

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "result": result,
                "stdout": stdout,
                "stderr": stderr,
            }
        )
        if execution_error is not UNSET:
            field_dict["executionError"] = execution_error
        if error is not UNSET:
            field_dict["error"] = error
        if execution_count is not UNSET:
            field_dict["execution_count"] = execution_count
        if execution_time is not UNSET:
            field_dict["execution_time"] = execution_time

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.run_code_error_type_0 import RunCodeErrorType0
        from ..models.run_code_result_item import RunCodeResultItem

        d = dict(src_dict)
        result = []
        _result = d.pop("result")
        for result_item_data in _result:

            def _parse_result_item(data: object) -> RunCodeResultItem | str:
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_run_code_result_type_0 = RunCodeResultItem.from_dict(data)

                    return componentsschemas_run_code_result_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                return cast(RunCodeResultItem | str, data)

            result_item = _parse_result_item(result_item_data)

            result.append(result_item)

        stdout = cast(list[str], d.pop("stdout"))

        stderr = cast(list[str], d.pop("stderr"))

        def _parse_execution_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        execution_error = _parse_execution_error(d.pop("executionError", UNSET))

        def _parse_error(data: object) -> None | RunCodeErrorType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_run_code_error_type_0 = RunCodeErrorType0.from_dict(data)

                return componentsschemas_run_code_error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RunCodeErrorType0 | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        def _parse_execution_count(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        execution_count = _parse_execution_count(d.pop("execution_count", UNSET))

        execution_time = d.pop("execution_time", UNSET)

        run_code_output = cls(
            result=result,
            stdout=stdout,
            stderr=stderr,
            execution_error=execution_error,
            error=error,
            execution_count=execution_count,
            execution_time=execution_time,
        )

        run_code_output.additional_properties = d
        return run_code_output

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties

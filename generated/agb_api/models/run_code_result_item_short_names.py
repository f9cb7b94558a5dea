from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.run_code_result_item_short_names_chart import RunCodeResultItemShortNamesChart


T = TypeVar("T", bound="RunCodeResultItemShortNames")


@_attrs_define
class RunCodeResultItemShortNames:
    """The keys some service versions send in a `RunCodeResultItem` instead of MIME types and
    `isMainResult`; where both are set, the MIME key (and `isMainResult`) wins.

        Example:
            {'text': '42', 'is_main_result': True}

        Attributes:
            is_main_result (bool | Unset): The snake_case spelling of `isMainResult`; `isMainResult` wins.
            text (str | Unset): Short format names some service versions send instead of MIME types (`text`, `html`,
                `markdown`, `png`, `jpeg`, `svg`, `json`, `latex`, `chart`); the MIME key wins where both are set.
            html (str | Unset):
            markdown (str | Unset):
            png (str | Unset):
            jpeg (str | Unset):
            svg (str | Unset):
            json (Any | Unset):
            latex (str | Unset):
            chart (RunCodeResultItemShortNamesChart | Unset):
    """

    is_main_result: bool | Unset = UNSET
    text: str | Unset = UNSET
    html: str | Unset = UNSET
    markdown: str | Unset = UNSET
    png: str | Unset = UNSET
    jpeg: str | Unset = UNSET
    svg: str | Unset = UNSET
    json: Any | Unset = UNSET
    latex: str | Unset = UNSET
    chart: RunCodeResultItemShortNamesChart | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        is_main_result = self.is_main_result

        text = self.text

        html = self.html

        markdown = self.markdown

        png = self.png

        jpeg = self.jpeg

        svg = self.svg

        json = self.json

        latex = self.latex

        chart: dict[str, Any] | Unset = UNSET
        if not isinstance(self.chart, Unset):
            chart = self.chart.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if is_main_result is not UNSET:
            field_dict["is_main_result"] = is_main_result
        if text is not UNSET:
            field_dict["text"] = text
        if html is not UNSET:
            field_dict["html"] = html
        if markdown is not UNSET:
            field_dict["markdown"] = markdown
        if png is not UNSET:
            field_dict["png"] = png
        if jpeg is not UNSET:
            field_dict["jpeg"] = jpeg
        if svg is not UNSET:
            field_dict["svg"] = svg
        if json is not UNSET:
            field_dict["json"] = json
        if latex is not UNSET:
            field_dict["latex"] = latex
        if chart is not UNSET:
            field_dict["chart"] = chart

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.run_code_result_item_short_names_chart import RunCodeResultItemShortNamesChart

        d = dict(src_dict)
        is_main_result = d.pop("is_main_result", UNSET)

        text = d.pop("text", UNSET)

        html = d.pop("html", UNSET)

        markdown = d.pop("markdown", UNSET)

        png = d.pop("png", UNSET)

        jpeg = d.pop("jpeg", UNSET)

        svg = d.pop("svg", UNSET)

        json = d.pop("json", UNSET)

        latex = d.pop("latex", UNSET)

        _chart = d.pop("chart", UNSET)
        chart: RunCodeResultItemShortNamesChart | Unset
        if isinstance(_chart, Unset):
            chart = UNSET
        else:
            chart = RunCodeResultItemShortNamesChart.from_dict(_chart)

        run_code_result_item_short_names = cls(
            is_main_result=is_main_result,
            text=text,
            html=html,
            markdown=markdown,
            png=png,
            jpeg=jpeg,
            svg=svg,
            json=json,
            latex=latex,
            chart=chart,
        )

        run_code_result_item_short_names.additional_properties = d
        return run_code_result_item_short_names

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

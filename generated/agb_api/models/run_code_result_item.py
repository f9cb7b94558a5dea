from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.run_code_result_item_applicationvnd_vegalite_v4_json import (
        RunCodeResultItemApplicationvndVegaliteV4Json,
    )
    from ..models.run_code_result_item_applicationvnd_vegalite_v5_json import (
        RunCodeResultItemApplicationvndVegaliteV5Json,
    )


T = TypeVar("T", bound="RunCodeResultItem")


@_attrs_define
class RunCodeResultItem:
    """One output of a code run (an `execute_result` or a `display_data`), keyed by MIME type. `image/png`
    and `image/jpeg` are base64 strings; `application/json` is a JSON value.

        Example:
            {'text/plain': '42', 'isMainResult': True}

        Attributes:
            textplain (str | Unset):
            texthtml (str | Unset):
            textmarkdown (str | Unset):
            imagepng (str | Unset):
            imagejpeg (str | Unset):
            imagesvgxml (str | Unset):
            applicationjson (Any | Unset):
            textlatex (str | Unset):
            applicationvnd_vegalite_v5json (RunCodeResultItemApplicationvndVegaliteV5Json | Unset):
            applicationvnd_vegalite_v4json (RunCodeResultItemApplicationvndVegaliteV4Json | Unset): A Vega-Lite v4 chart,
                from older kernels; clients read it where v5 is absent.
            is_main_result (bool | Unset): `true` for the value of the last expression.
    """

    textplain: str | Unset = UNSET
    texthtml: str | Unset = UNSET
    textmarkdown: str | Unset = UNSET
    imagepng: str | Unset = UNSET
    imagejpeg: str | Unset = UNSET
    imagesvgxml: str | Unset = UNSET
    applicationjson: Any | Unset = UNSET
    textlatex: str | Unset = UNSET
    applicationvnd_vegalite_v5json: RunCodeResultItemApplicationvndVegaliteV5Json | Unset = UNSET
    applicationvnd_vegalite_v4json: RunCodeResultItemApplicationvndVegaliteV4Json | Unset = UNSET
    is_main_result: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        textplain = self.textplain

        texthtml = self.texthtml

        textmarkdown = self.textmarkdown

        imagepng = self.imagepng

        imagejpeg = self.imagejpeg

        imagesvgxml = self.imagesvgxml

        applicationjson = self.applicationjson

        textlatex = self.textlatex

        applicationvnd_vegalite_v5json: dict[str, Any] | Unset = UNSET
        if not isinstance(self.applicationvnd_vegalite_v5json, Unset):
            applicationvnd_vegalite_v5json = self.applicationvnd_vegalite_v5json.to_dict()

        applicationvnd_vegalite_v4json: dict[str, Any] | Unset = UNSET
        if not isinstance(self.applicationvnd_vegalite_v4json, Unset):
            applicationvnd_vegalite_v4json = self.applicationvnd_vegalite_v4json.to_dict()

        is_main_result = self.is_main_result

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if textplain is not UNSET:
            field_dict["text/plain"] = textplain
        if texthtml is not UNSET:
            field_dict["text/html"] = texthtml
        if textmarkdown is not UNSET:
            field_dict["text/markdown"] = textmarkdown
        if imagepng is not UNSET:
            field_dict["image/png"] = imagepng
        if imagejpeg is not UNSET:
            field_dict["image/jpeg"] = imagejpeg
        if imagesvgxml is not UNSET:
            field_dict["image/svg+xml"] = imagesvgxml
        if applicationjson is not UNSET:
            field_dict["application/json"] = applicationjson
        if textlatex is not UNSET:
            field_dict["text/latex"] = textlatex
        if applicationvnd_vegalite_v5json is not UNSET:
            field_dict["application/vnd.vegalite.v5+json"] = applicationvnd_vegalite_v5json
        if applicationvnd_vegalite_v4json is not UNSET:
            field_dict["application/vnd.vegalite.v4+json"] = applicationvnd_vegalite_v4json
        if is_main_result is not UNSET:
            field_dict["isMainResult"] = is_main_result

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.run_code_result_item_applicationvnd_vegalite_v4_json import (
            RunCodeResultItemApplicationvndVegaliteV4Json,
        )
        from ..models.run_code_result_item_applicationvnd_vegalite_v5_json import (
            RunCodeResultItemApplicationvndVegaliteV5Json,
        )

        d = dict(src_dict)
        textplain = d.pop("text/plain", UNSET)

        texthtml = d.pop("text/html", UNSET)

        textmarkdown = d.pop("text/markdown", UNSET)

        imagepng = d.pop("image/png", UNSET)

        imagejpeg = d.pop("image/jpeg", UNSET)

        imagesvgxml = d.pop("image/svg+xml", UNSET)

        applicationjson = d.pop("application/json", UNSET)

        textlatex = d.pop("text/latex", UNSET)

        _applicationvnd_vegalite_v5json = d.pop("application/vnd.vegalite.v5+json", UNSET)
        applicationvnd_vegalite_v5json: RunCodeResultItemApplicationvndVegaliteV5Json | Unset
        if isinstance(_applicationvnd_vegalite_v5json, Unset):
            applicationvnd_vegalite_v5json = UNSET
        else:
            applicationvnd_vegalite_v5json = RunCodeResultItemApplicationvndVegaliteV5Json.from_dict(
                _applicationvnd_vegalite_v5json
            )

        _applicationvnd_vegalite_v4json = d.pop("application/vnd.vegalite.v4+json", UNSET)
        applicationvnd_vegalite_v4json: RunCodeResultItemApplicationvndVegaliteV4Json | Unset
        if isinstance(_applicationvnd_vegalite_v4json, Unset):
            applicationvnd_vegalite_v4json = UNSET
        else:
            applicationvnd_vegalite_v4json = RunCodeResultItemApplicationvndVegaliteV4Json.from_dict(
                _applicationvnd_vegalite_v4json
            )

        is_main_result = d.pop("isMainResult", UNSET)

        run_code_result_item = cls(
            textplain=textplain,
            texthtml=texthtml,
            textmarkdown=textmarkdown,
            imagepng=imagepng,
            imagejpeg=imagejpeg,
            imagesvgxml=imagesvgxml,
            applicationjson=applicationjson,
            textlatex=textlatex,
            applicationvnd_vegalite_v5json=applicationvnd_vegalite_v5json,
            applicationvnd_vegalite_v4json=applicationvnd_vegalite_v4json,
            is_main_result=is_main_result,
        )

        run_code_result_item.additional_properties = d
        return run_code_result_item

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

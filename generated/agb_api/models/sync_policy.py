from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.bw_list import BWList
    from ..models.delete_policy import DeletePolicy
    from ..models.download_policy import DownloadPolicy
    from ..models.extract_policy import ExtractPolicy
    from ..models.mapping_policy import MappingPolicy
    from ..models.recycle_policy import RecyclePolicy
    from ..models.upload_policy import UploadPolicy


T = TypeVar("T", bound="SyncPolicy")


@_attrs_define
class SyncPolicy:
    """How a context mounted into a session syncs: the decoded `policy` of a `persistenceDataList` item.
    Every part may be omitted and takes the defaults shown.

        Example:
            {'uploadPolicy': {'autoUpload': True, 'uploadStrategy': 'UploadBeforeResourceRelease', 'uploadMode': 'File'},
                'downloadPolicy': {'autoDownload': True, 'downloadStrategy': 'DownloadAsync'}, 'deletePolicy': {'syncLocalFile':
                True}, 'extractPolicy': {'extract': True, 'deleteSrcFile': True, 'extractToCurrentFolder': False},
                'recyclePolicy': {'lifecycle': 'Lifecycle_Forever', 'paths': ['']}, 'bwList': {'whiteLists': []}}

        Attributes:
            upload_policy (UploadPolicy | Unset):  Example: {'autoUpload': True, 'uploadStrategy':
                'UploadBeforeResourceRelease', 'uploadMode': 'File'}.
            download_policy (DownloadPolicy | Unset):  Example: {'autoDownload': True, 'downloadStrategy': 'DownloadAsync'}.
            delete_policy (DeletePolicy | Unset):  Example: {'syncLocalFile': True}.
            extract_policy (ExtractPolicy | Unset):  Example: {'extract': True, 'deleteSrcFile': True,
                'extractToCurrentFolder': False}.
            recycle_policy (RecyclePolicy | Unset):  Example: {'lifecycle': 'Lifecycle_Forever', 'paths': ['']}.
            bw_list (BWList | Unset):  Example: {'whiteLists': []}.
            mapping_policy (MappingPolicy | Unset):  Example: {'path': '/tmp/mapping'}.
    """

    upload_policy: UploadPolicy | Unset = UNSET
    download_policy: DownloadPolicy | Unset = UNSET
    delete_policy: DeletePolicy | Unset = UNSET
    extract_policy: ExtractPolicy | Unset = UNSET
    recycle_policy: RecyclePolicy | Unset = UNSET
    bw_list: BWList | Unset = UNSET
    mapping_policy: MappingPolicy | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        upload_policy: dict[str, Any] | Unset = UNSET
        if not isinstance(self.upload_policy, Unset):
            upload_policy = self.upload_policy.to_dict()

        download_policy: dict[str, Any] | Unset = UNSET
        if not isinstance(self.download_policy, Unset):
            download_policy = self.download_policy.to_dict()

        delete_policy: dict[str, Any] | Unset = UNSET
        if not isinstance(self.delete_policy, Unset):
            delete_policy = self.delete_policy.to_dict()

        extract_policy: dict[str, Any] | Unset = UNSET
        if not isinstance(self.extract_policy, Unset):
            extract_policy = self.extract_policy.to_dict()

        recycle_policy: dict[str, Any] | Unset = UNSET
        if not isinstance(self.recycle_policy, Unset):
            recycle_policy = self.recycle_policy.to_dict()

        bw_list: dict[str, Any] | Unset = UNSET
        if not isinstance(self.bw_list, Unset):
            bw_list = self.bw_list.to_dict()

        mapping_policy: dict[str, Any] | Unset = UNSET
        if not isinstance(self.mapping_policy, Unset):
            mapping_policy = self.mapping_policy.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if upload_policy is not UNSET:
            field_dict["uploadPolicy"] = upload_policy
        if download_policy is not UNSET:
            field_dict["downloadPolicy"] = download_policy
        if delete_policy is not UNSET:
            field_dict["deletePolicy"] = delete_policy
        if extract_policy is not UNSET:
            field_dict["extractPolicy"] = extract_policy
        if recycle_policy is not UNSET:
            field_dict["recyclePolicy"] = recycle_policy
        if bw_list is not UNSET:
            field_dict["bwList"] = bw_list
        if mapping_policy is not UNSET:
            field_dict["mappingPolicy"] = mapping_policy

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.bw_list import BWList
        from ..models.delete_policy import DeletePolicy
        from ..models.download_policy import DownloadPolicy
        from ..models.extract_policy import ExtractPolicy
        from ..models.mapping_policy import MappingPolicy
        from ..models.recycle_policy import RecyclePolicy
        from ..models.upload_policy import UploadPolicy

        d = dict(src_dict)
        _upload_policy = d.pop("uploadPolicy", UNSET)
        upload_policy: UploadPolicy | Unset
        if isinstance(_upload_policy, Unset):
            upload_policy = UNSET
        else:
            upload_policy = UploadPolicy.from_dict(_upload_policy)

        _download_policy = d.pop("downloadPolicy", UNSET)
        download_policy: DownloadPolicy | Unset
        if isinstance(_download_policy, Unset):
            download_policy = UNSET
        else:
            download_policy = DownloadPolicy.from_dict(_download_policy)

        _delete_policy = d.pop("deletePolicy", UNSET)
        delete_policy: DeletePolicy | Unset
        if isinstance(_delete_policy, Unset):
            delete_policy = UNSET
        else:
            delete_policy = DeletePolicy.from_dict(_delete_policy)

        _extract_policy = d.pop("extractPolicy", UNSET)
        extract_policy: ExtractPolicy | Unset
        if isinstance(_extract_policy, Unset):
            extract_policy = UNSET
        else:
            extract_policy = ExtractPolicy.from_dict(_extract_policy)

        _recycle_policy = d.pop("recyclePolicy", UNSET)
        recycle_policy: RecyclePolicy | Unset
        if isinstance(_recycle_policy, Unset):
            recycle_policy = UNSET
        else:
            recycle_policy = RecyclePolicy.from_dict(_recycle_policy)

        _bw_list = d.pop("bwList", UNSET)
        bw_list: BWList | Unset
        if isinstance(_bw_list, Unset):
            bw_list = UNSET
        else:
            bw_list = BWList.from_dict(_bw_list)

        _mapping_policy = d.pop("mappingPolicy", UNSET)
        mapping_policy: MappingPolicy | Unset
        if isinstance(_mapping_policy, Unset):
            mapping_policy = UNSET
        else:
            mapping_policy = MappingPolicy.from_dict(_mapping_policy)

        sync_policy = cls(
            upload_policy=upload_policy,
            download_policy=download_policy,
            delete_policy=delete_policy,
            extract_policy=extract_policy,
            recycle_policy=recycle_policy,
            bw_list=bw_list,
            mapping_policy=mapping_policy,
        )

        sync_policy.additional_properties = d
        return sync_policy

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

"""How a context syncs with a session: ``ContextSync(context_id, path, policy)`` for ``CreateSessionParams``.

The classes and defaults are the official client's. Each policy is sent as the spec's ``SyncPolicy``, JSON
inside the ``policy`` string of a ``persistenceDataList`` item (`to_wire`). One difference: a ``ContextSync``
without a policy gets the default ``SyncPolicy()`` instead of being dropped without a word.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from agb_api.models import BWList as BWListModel
from agb_api.models import DeletePolicy as DeletePolicyModel
from agb_api.models import DownloadPolicy as DownloadPolicyModel
from agb_api.models import ExtractPolicy as ExtractPolicyModel
from agb_api.models import MappingPolicy as MappingPolicyModel
from agb_api.models import PersistenceData
from agb_api.models import RecyclePolicy as RecyclePolicyModel
from agb_api.models import SyncPolicy as SyncPolicyModel
from agb_api.models import UploadPolicy as UploadPolicyModel
from agb_api.models import WhiteList as WhiteListModel
from agb_api.models.download_policy_download_strategy import check_download_policy_download_strategy
from agb_api.models.recycle_policy_lifecycle import check_recycle_policy_lifecycle
from agb_api.models.upload_policy_upload_mode import check_upload_policy_upload_mode
from agb_api.models.upload_policy_upload_strategy import check_upload_policy_upload_strategy
from agb_api.types import UNSET

from .errors import InvalidParameterError

__all__ = [
    "BWList",
    "ContextSync",
    "DeletePolicy",
    "DownloadPolicy",
    "DownloadStrategy",
    "ExtractPolicy",
    "Lifecycle",
    "MappingPolicy",
    "RecyclePolicy",
    "SyncPolicy",
    "UploadMode",
    "UploadPolicy",
    "UploadStrategy",
    "WhiteList",
]

_WILDCARDS = frozenset("*?[]")


class UploadStrategy(Enum):
    UPLOAD_BEFORE_RESOURCE_RELEASE = "UploadBeforeResourceRelease"


class DownloadStrategy(Enum):
    DOWNLOAD_ASYNC = "DownloadAsync"


class UploadMode(Enum):
    FILE = "File"
    ARCHIVE = "Archive"


class Lifecycle(Enum):
    LIFECYCLE_1DAY = "Lifecycle_1Day"
    LIFECYCLE_3DAYS = "Lifecycle_3Days"
    LIFECYCLE_5DAYS = "Lifecycle_5Days"
    LIFECYCLE_10DAYS = "Lifecycle_10Days"
    LIFECYCLE_15DAYS = "Lifecycle_15Days"
    LIFECYCLE_30DAYS = "Lifecycle_30Days"
    LIFECYCLE_90DAYS = "Lifecycle_90Days"
    LIFECYCLE_180DAYS = "Lifecycle_180Days"
    LIFECYCLE_360DAYS = "Lifecycle_360Days"
    LIFECYCLE_FOREVER = "Lifecycle_Forever"


@dataclass
class UploadPolicy:
    """``auto_upload``: copy the session's files into the context before the session is released."""

    auto_upload: bool = True
    upload_strategy: UploadStrategy = UploadStrategy.UPLOAD_BEFORE_RESOURCE_RELEASE
    upload_mode: UploadMode = UploadMode.FILE

    def __post_init__(self) -> None:
        if not isinstance(self.upload_mode, UploadMode):
            valid = ", ".join(m.value for m in UploadMode)
            raise ValueError(f"Invalid upload_mode value: {self.upload_mode}. Valid values are: {valid}")


@dataclass
class DownloadPolicy:
    """``auto_download``: copy the context's files into the session when it is created."""

    auto_download: bool = True
    download_strategy: DownloadStrategy = DownloadStrategy.DOWNLOAD_ASYNC


@dataclass
class DeletePolicy:
    """``sync_local_file``: an upload also removes from the context what the session deleted."""

    sync_local_file: bool = True


@dataclass
class ExtractPolicy:
    extract: bool = True
    delete_src_file: bool = True
    extract_current_folder: bool = False


def _no_wildcards(paths: list[str], what: str) -> None:
    for path in paths:
        if _WILDCARDS & set(path):
            raise ValueError(f"{what} must not contain wildcards (* ? [ ]): {path!r}")


@dataclass
class RecyclePolicy:
    lifecycle: Lifecycle = Lifecycle.LIFECYCLE_FOREVER
    paths: list[str] = field(default_factory=lambda: [""])

    def __post_init__(self) -> None:
        _no_wildcards(self.paths, "recycle paths")


@dataclass
class WhiteList:
    """Only what is under ``path`` (relative to the mount) syncs, except ``exclude_paths``."""

    path: str = ""
    exclude_paths: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        _no_wildcards([self.path, *self.exclude_paths], "white list paths")


@dataclass
class BWList:
    white_lists: list[WhiteList] = field(default_factory=list)


@dataclass
class MappingPolicy:
    """``path``: the path the context was synced at in an earlier session; it appears at this mount instead."""

    path: str = ""


@dataclass
class SyncPolicy:
    upload_policy: UploadPolicy | None = None
    download_policy: DownloadPolicy | None = None
    delete_policy: DeletePolicy | None = None
    extract_policy: ExtractPolicy | None = None
    recycle_policy: RecyclePolicy | None = None
    bw_list: BWList | None = None
    mapping_policy: MappingPolicy | None = None

    def __post_init__(self) -> None:
        self.upload_policy = self.upload_policy or UploadPolicy()
        self.download_policy = self.download_policy or DownloadPolicy()
        self.delete_policy = self.delete_policy or DeletePolicy()
        self.extract_policy = self.extract_policy or ExtractPolicy()
        self.recycle_policy = self.recycle_policy or RecyclePolicy()
        self.bw_list = self.bw_list or BWList()

    def to_wire(self) -> SyncPolicyModel:
        """The spec's ``SyncPolicy`` (``mappingPolicy`` only when set, as the official client sends it)."""
        up, down, delete = self.upload_policy, self.download_policy, self.delete_policy
        extract, recycle, lists = self.extract_policy, self.recycle_policy, self.bw_list
        assert up and down and delete and extract and recycle and lists  # filled in by __post_init__
        return SyncPolicyModel(
            upload_policy=UploadPolicyModel(
                auto_upload=up.auto_upload,
                upload_strategy=check_upload_policy_upload_strategy(up.upload_strategy.value),
                upload_mode=check_upload_policy_upload_mode(up.upload_mode.value),
            ),
            download_policy=DownloadPolicyModel(
                auto_download=down.auto_download,
                download_strategy=check_download_policy_download_strategy(down.download_strategy.value),
            ),
            delete_policy=DeletePolicyModel(sync_local_file=delete.sync_local_file),
            extract_policy=ExtractPolicyModel(
                extract=extract.extract,
                delete_src_file=extract.delete_src_file,
                extract_to_current_folder=extract.extract_current_folder,
            ),
            recycle_policy=RecyclePolicyModel(
                lifecycle=check_recycle_policy_lifecycle(recycle.lifecycle.value), paths=list(recycle.paths)
            ),
            bw_list=BWListModel(
                white_lists=[
                    WhiteListModel(path=w.path, exclude_paths=list(w.exclude_paths)) for w in lists.white_lists
                ]
            ),
            mapping_policy=UNSET if self.mapping_policy is None else MappingPolicyModel(path=self.mapping_policy.path),
        )


@dataclass
class ContextSync:
    """Mount the context ``context_id`` at the sandbox folder ``path`` of a new session, under ``policy``."""

    context_id: str
    path: str
    policy: SyncPolicy | None = None

    @classmethod
    def new(cls, context_id: str, path: str, policy: SyncPolicy | None = None) -> ContextSync:
        return cls(context_id, path, policy)

    def with_policy(self, policy: SyncPolicy) -> ContextSync:
        self.policy = policy
        return self

    def to_wire(self) -> PersistenceData:
        """The ``persistenceDataList`` item; the policy JSON as the official client writes it."""
        import json

        if not isinstance(self.context_id, str) or not self.context_id.strip():
            raise InvalidParameterError(f"ContextSync.context_id must be a non-empty string, got {self.context_id!r}")
        if not isinstance(self.path, str) or not self.path.startswith("/"):
            raise InvalidParameterError(f"ContextSync.path must be an absolute sandbox path, got {self.path!r}")
        policy = self.policy if self.policy is not None else SyncPolicy()
        if not isinstance(policy, SyncPolicy):
            raise InvalidParameterError(f"ContextSync.policy must be a SyncPolicy, got {type(policy).__name__}")
        text = json.dumps(policy.to_wire().to_dict(), ensure_ascii=False)
        return PersistenceData(context_id=self.context_id, path=self.path, policy=text)

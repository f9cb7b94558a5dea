"""Contains all the data models used in inputs/outputs.

Each model's module is imported on first use (PEP 562), so importing one model does not import all of them:
a client that sends two requests should not pay for fifty classes at start-up.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .browser_option import BrowserOption
    from .bw_list import BWList
    from .call_tool_request import CallToolRequest
    from .call_tool_response import CallToolResponse
    from .call_tool_result import CallToolResult
    from .content_item import ContentItem
    from .context_data import ContextData
    from .context_file_entry import ContextFileEntry
    from .context_file_url import ContextFileUrl
    from .context_file_url_response import ContextFileUrlResponse
    from .context_info_data import ContextInfoData
    from .context_item import ContextItem
    from .context_status_entry import ContextStatusEntry
    from .context_status_item import ContextStatusItem
    from .context_types_item import ContextTypesItem
    from .create_session_data import CreateSessionData
    from .create_session_request import CreateSessionRequest
    from .create_session_response import CreateSessionResponse
    from .delete_policy import DeletePolicy
    from .describe_context_files_response import DescribeContextFilesResponse
    from .desktop_info import DesktopInfo
    from .download_policy import DownloadPolicy
    from .download_policy_download_strategy import DownloadPolicyDownloadStrategy
    from .edit_file_args import EditFileArgs
    from .empty_args import EmptyArgs
    from .empty_data_response import EmptyDataResponse
    from .empty_data_response_data_type_0 import EmptyDataResponseDataType0
    from .empty_request import EmptyRequest
    from .envelope import Envelope
    from .error_response import ErrorResponse
    from .error_response_data_type_0 import ErrorResponseDataType0
    from .extract_policy import ExtractPolicy
    from .file_change_event import FileChangeEvent
    from .file_edit import FileEdit
    from .file_info import FileInfo
    from .get_and_load_internal_context_response import GetAndLoadInternalContextResponse
    from .get_cdp_link_data import GetCdpLinkData
    from .get_cdp_link_response import GetCdpLinkResponse
    from .get_context_info_response import GetContextInfoResponse
    from .get_context_response import GetContextResponse
    from .get_label_data import GetLabelData
    from .get_label_response import GetLabelResponse
    from .get_link_data import GetLinkData
    from .get_link_mcp_protocol_type import GetLinkMcpProtocolType
    from .get_link_protocol_type import GetLinkProtocolType
    from .get_link_response import GetLinkResponse
    from .get_mcp_resource_data import GetMcpResourceData
    from .get_mcp_resource_response import GetMcpResourceResponse
    from .get_metrics_output import GetMetricsOutput
    from .get_session_data import GetSessionData
    from .get_session_info_data import GetSessionInfoData
    from .get_session_info_pascal_case_data import GetSessionInfoPascalCaseData
    from .get_session_info_response import GetSessionInfoResponse
    from .get_session_response import GetSessionResponse
    from .init_browser_data import InitBrowserData
    from .init_browser_response import InitBrowserResponse
    from .internal_context import InternalContext
    from .labels import Labels
    from .link_call_tool_data import LinkCallToolData
    from .link_call_tool_request import LinkCallToolRequest
    from .link_call_tool_request_args import LinkCallToolRequestArgs
    from .link_call_tool_response import LinkCallToolResponse
    from .list_contexts_response import ListContextsResponse
    from .list_sessions_response import ListSessionsResponse
    from .list_tools_response import ListToolsResponse
    from .mapping_policy import MappingPolicy
    from .move_file_args import MoveFileArgs
    from .nested_envelope import NestedEnvelope
    from .nested_envelope_body import NestedEnvelopeBody
    from .pascal_case_envelope import PascalCaseEnvelope
    from .path_args import PathArgs
    from .persistence_data import PersistenceData
    from .presigned_put_data import PresignedPutData
    from .presigned_put_response import PresignedPutResponse
    from .read_file_args import ReadFileArgs
    from .read_file_args_format import ReadFileArgsFormat
    from .read_multiple_files_args import ReadMultipleFilesArgs
    from .recycle_policy import RecyclePolicy
    from .recycle_policy_lifecycle import RecyclePolicyLifecycle
    from .release_session_response import ReleaseSessionResponse
    from .release_session_response_data_type_0 import ReleaseSessionResponseDataType0
    from .run_code_args import RunCodeArgs
    from .run_code_error_type_0 import RunCodeErrorType0
    from .run_code_logs import RunCodeLogs
    from .run_code_output import RunCodeOutput
    from .run_code_result_item import RunCodeResultItem
    from .run_code_result_item_applicationvnd_vegalite_v4_json import RunCodeResultItemApplicationvndVegaliteV4Json
    from .run_code_result_item_applicationvnd_vegalite_v5_json import RunCodeResultItemApplicationvndVegaliteV5Json
    from .run_code_result_item_short_names import RunCodeResultItemShortNames
    from .run_code_result_item_short_names_chart import RunCodeResultItemShortNamesChart
    from .run_code_rich_output import RunCodeRichOutput
    from .run_code_wrapped_output import RunCodeWrappedOutput
    from .sdk_stats import SdkStats
    from .search_files_args import SearchFilesArgs
    from .session_id_request import SessionIdRequest
    from .session_summary import SessionSummary
    from .shell_args import ShellArgs
    from .shell_args_envs import ShellArgsEnvs
    from .shell_output import ShellOutput
    from .sync_mode import SyncMode
    from .sync_policy import SyncPolicy
    from .tool_descriptor import ToolDescriptor
    from .tool_descriptor_input_schema import ToolDescriptorInputSchema
    from .tool_list_item import ToolListItem
    from .upload_policy import UploadPolicy
    from .upload_policy_upload_mode import UploadPolicyUploadMode
    from .upload_policy_upload_strategy import UploadPolicyUploadStrategy
    from .white_list import WhiteList
    from .write_file_args import WriteFileArgs
    from .write_file_args_mode import WriteFileArgsMode
    from .ws_client_frame import WsClientFrame
    from .ws_error_payload import WsErrorPayload
    from .ws_result_payload import WsResultPayload
    from .ws_run_code_data import WsRunCodeData
    from .ws_run_code_params import WsRunCodeParams
    from .ws_server_data import WsServerData
    from .ws_server_frame import WsServerFrame

# model name -> the module defining it
_MODULES = {
    "BrowserOption": ".browser_option",
    "BWList": ".bw_list",
    "CallToolRequest": ".call_tool_request",
    "CallToolResponse": ".call_tool_response",
    "CallToolResult": ".call_tool_result",
    "ContentItem": ".content_item",
    "ContextData": ".context_data",
    "ContextFileEntry": ".context_file_entry",
    "ContextFileUrl": ".context_file_url",
    "ContextFileUrlResponse": ".context_file_url_response",
    "ContextInfoData": ".context_info_data",
    "ContextItem": ".context_item",
    "ContextStatusEntry": ".context_status_entry",
    "ContextStatusItem": ".context_status_item",
    "ContextTypesItem": ".context_types_item",
    "CreateSessionData": ".create_session_data",
    "CreateSessionRequest": ".create_session_request",
    "CreateSessionResponse": ".create_session_response",
    "DeletePolicy": ".delete_policy",
    "DescribeContextFilesResponse": ".describe_context_files_response",
    "DesktopInfo": ".desktop_info",
    "DownloadPolicy": ".download_policy",
    "DownloadPolicyDownloadStrategy": ".download_policy_download_strategy",
    "EditFileArgs": ".edit_file_args",
    "EmptyArgs": ".empty_args",
    "EmptyDataResponse": ".empty_data_response",
    "EmptyDataResponseDataType0": ".empty_data_response_data_type_0",
    "EmptyRequest": ".empty_request",
    "Envelope": ".envelope",
    "ErrorResponse": ".error_response",
    "ErrorResponseDataType0": ".error_response_data_type_0",
    "ExtractPolicy": ".extract_policy",
    "FileChangeEvent": ".file_change_event",
    "FileEdit": ".file_edit",
    "FileInfo": ".file_info",
    "GetAndLoadInternalContextResponse": ".get_and_load_internal_context_response",
    "GetCdpLinkData": ".get_cdp_link_data",
    "GetCdpLinkResponse": ".get_cdp_link_response",
    "GetContextInfoResponse": ".get_context_info_response",
    "GetContextResponse": ".get_context_response",
    "GetLabelData": ".get_label_data",
    "GetLabelResponse": ".get_label_response",
    "GetLinkData": ".get_link_data",
    "GetLinkMcpProtocolType": ".get_link_mcp_protocol_type",
    "GetLinkProtocolType": ".get_link_protocol_type",
    "GetLinkResponse": ".get_link_response",
    "GetMcpResourceData": ".get_mcp_resource_data",
    "GetMcpResourceResponse": ".get_mcp_resource_response",
    "GetMetricsOutput": ".get_metrics_output",
    "GetSessionData": ".get_session_data",
    "GetSessionInfoData": ".get_session_info_data",
    "GetSessionInfoPascalCaseData": ".get_session_info_pascal_case_data",
    "GetSessionInfoResponse": ".get_session_info_response",
    "GetSessionResponse": ".get_session_response",
    "InitBrowserData": ".init_browser_data",
    "InitBrowserResponse": ".init_browser_response",
    "InternalContext": ".internal_context",
    "Labels": ".labels",
    "LinkCallToolData": ".link_call_tool_data",
    "LinkCallToolRequest": ".link_call_tool_request",
    "LinkCallToolRequestArgs": ".link_call_tool_request_args",
    "LinkCallToolResponse": ".link_call_tool_response",
    "ListContextsResponse": ".list_contexts_response",
    "ListSessionsResponse": ".list_sessions_response",
    "ListToolsResponse": ".list_tools_response",
    "MappingPolicy": ".mapping_policy",
    "MoveFileArgs": ".move_file_args",
    "NestedEnvelope": ".nested_envelope",
    "NestedEnvelopeBody": ".nested_envelope_body",
    "PascalCaseEnvelope": ".pascal_case_envelope",
    "PathArgs": ".path_args",
    "PersistenceData": ".persistence_data",
    "PresignedPutData": ".presigned_put_data",
    "PresignedPutResponse": ".presigned_put_response",
    "ReadFileArgs": ".read_file_args",
    "ReadFileArgsFormat": ".read_file_args_format",
    "ReadMultipleFilesArgs": ".read_multiple_files_args",
    "RecyclePolicy": ".recycle_policy",
    "RecyclePolicyLifecycle": ".recycle_policy_lifecycle",
    "ReleaseSessionResponse": ".release_session_response",
    "ReleaseSessionResponseDataType0": ".release_session_response_data_type_0",
    "RunCodeArgs": ".run_code_args",
    "RunCodeErrorType0": ".run_code_error_type_0",
    "RunCodeLogs": ".run_code_logs",
    "RunCodeOutput": ".run_code_output",
    "RunCodeResultItem": ".run_code_result_item",
    "RunCodeResultItemApplicationvndVegaliteV4Json": ".run_code_result_item_applicationvnd_vegalite_v4_json",
    "RunCodeResultItemApplicationvndVegaliteV5Json": ".run_code_result_item_applicationvnd_vegalite_v5_json",
    "RunCodeResultItemShortNames": ".run_code_result_item_short_names",
    "RunCodeResultItemShortNamesChart": ".run_code_result_item_short_names_chart",
    "RunCodeRichOutput": ".run_code_rich_output",
    "RunCodeWrappedOutput": ".run_code_wrapped_output",
    "SdkStats": ".sdk_stats",
    "SearchFilesArgs": ".search_files_args",
    "SessionIdRequest": ".session_id_request",
    "SessionSummary": ".session_summary",
    "ShellArgs": ".shell_args",
    "ShellArgsEnvs": ".shell_args_envs",
    "ShellOutput": ".shell_output",
    "SyncMode": ".sync_mode",
    "SyncPolicy": ".sync_policy",
    "ToolDescriptor": ".tool_descriptor",
    "ToolDescriptorInputSchema": ".tool_descriptor_input_schema",
    "ToolListItem": ".tool_list_item",
    "UploadPolicy": ".upload_policy",
    "UploadPolicyUploadMode": ".upload_policy_upload_mode",
    "UploadPolicyUploadStrategy": ".upload_policy_upload_strategy",
    "WhiteList": ".white_list",
    "WriteFileArgs": ".write_file_args",
    "WriteFileArgsMode": ".write_file_args_mode",
    "WsClientFrame": ".ws_client_frame",
    "WsErrorPayload": ".ws_error_payload",
    "WsResultPayload": ".ws_result_payload",
    "WsRunCodeData": ".ws_run_code_data",
    "WsRunCodeParams": ".ws_run_code_params",
    "WsServerData": ".ws_server_data",
    "WsServerFrame": ".ws_server_frame",
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = (
    "BWList",
    "BrowserOption",
    "CallToolRequest",
    "CallToolResponse",
    "CallToolResult",
    "ContentItem",
    "ContextData",
    "ContextFileEntry",
    "ContextFileUrl",
    "ContextFileUrlResponse",
    "ContextInfoData",
    "ContextItem",
    "ContextStatusEntry",
    "ContextStatusItem",
    "ContextTypesItem",
    "CreateSessionData",
    "CreateSessionRequest",
    "CreateSessionResponse",
    "DeletePolicy",
    "DescribeContextFilesResponse",
    "DesktopInfo",
    "DownloadPolicy",
    "DownloadPolicyDownloadStrategy",
    "EditFileArgs",
    "EmptyArgs",
    "EmptyDataResponse",
    "EmptyDataResponseDataType0",
    "EmptyRequest",
    "Envelope",
    "ErrorResponse",
    "ErrorResponseDataType0",
    "ExtractPolicy",
    "FileChangeEvent",
    "FileEdit",
    "FileInfo",
    "GetAndLoadInternalContextResponse",
    "GetCdpLinkData",
    "GetCdpLinkResponse",
    "GetContextInfoResponse",
    "GetContextResponse",
    "GetLabelData",
    "GetLabelResponse",
    "GetLinkData",
    "GetLinkMcpProtocolType",
    "GetLinkProtocolType",
    "GetLinkResponse",
    "GetMcpResourceData",
    "GetMcpResourceResponse",
    "GetMetricsOutput",
    "GetSessionData",
    "GetSessionInfoData",
    "GetSessionInfoPascalCaseData",
    "GetSessionInfoResponse",
    "GetSessionResponse",
    "InitBrowserData",
    "InitBrowserResponse",
    "InternalContext",
    "Labels",
    "LinkCallToolData",
    "LinkCallToolRequest",
    "LinkCallToolRequestArgs",
    "LinkCallToolResponse",
    "ListContextsResponse",
    "ListSessionsResponse",
    "ListToolsResponse",
    "MappingPolicy",
    "MoveFileArgs",
    "NestedEnvelope",
    "NestedEnvelopeBody",
    "PascalCaseEnvelope",
    "PathArgs",
    "PersistenceData",
    "PresignedPutData",
    "PresignedPutResponse",
    "ReadFileArgs",
    "ReadFileArgsFormat",
    "ReadMultipleFilesArgs",
    "RecyclePolicy",
    "RecyclePolicyLifecycle",
    "ReleaseSessionResponse",
    "ReleaseSessionResponseDataType0",
    "RunCodeArgs",
    "RunCodeErrorType0",
    "RunCodeLogs",
    "RunCodeOutput",
    "RunCodeResultItem",
    "RunCodeResultItemApplicationvndVegaliteV4Json",
    "RunCodeResultItemApplicationvndVegaliteV5Json",
    "RunCodeResultItemShortNames",
    "RunCodeResultItemShortNamesChart",
    "RunCodeRichOutput",
    "RunCodeWrappedOutput",
    "SdkStats",
    "SearchFilesArgs",
    "SessionIdRequest",
    "SessionSummary",
    "ShellArgs",
    "ShellArgsEnvs",
    "ShellOutput",
    "SyncMode",
    "SyncPolicy",
    "ToolDescriptor",
    "ToolDescriptorInputSchema",
    "ToolListItem",
    "UploadPolicy",
    "UploadPolicyUploadMode",
    "UploadPolicyUploadStrategy",
    "WhiteList",
    "WriteFileArgs",
    "WriteFileArgsMode",
    "WsClientFrame",
    "WsErrorPayload",
    "WsResultPayload",
    "WsRunCodeData",
    "WsRunCodeParams",
    "WsServerData",
    "WsServerFrame",
)

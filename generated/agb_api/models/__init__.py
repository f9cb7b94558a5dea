"""Contains all the data models used in inputs/outputs"""

from .call_tool_request import CallToolRequest
from .call_tool_response import CallToolResponse
from .call_tool_result import CallToolResult
from .content_item import ContentItem
from .create_session_data import CreateSessionData
from .create_session_request import CreateSessionRequest
from .create_session_response import CreateSessionResponse
from .desktop_info import DesktopInfo
from .edit_file_args import EditFileArgs
from .empty_data_response import EmptyDataResponse
from .empty_data_response_data_type_0 import EmptyDataResponseDataType0
from .empty_request import EmptyRequest
from .envelope import Envelope
from .error_response import ErrorResponse
from .error_response_data_type_0 import ErrorResponseDataType0
from .file_change_event import FileChangeEvent
from .file_edit import FileEdit
from .get_label_data import GetLabelData
from .get_label_response import GetLabelResponse
from .get_mcp_resource_data import GetMcpResourceData
from .get_mcp_resource_response import GetMcpResourceResponse
from .get_session_data import GetSessionData
from .get_session_info_data import GetSessionInfoData
from .get_session_info_response import GetSessionInfoResponse
from .get_session_response import GetSessionResponse
from .labels import Labels
from .list_sessions_response import ListSessionsResponse
from .list_tools_response import ListToolsResponse
from .move_file_args import MoveFileArgs
from .path_args import PathArgs
from .persistence_data import PersistenceData
from .read_file_args import ReadFileArgs
from .read_file_args_format import ReadFileArgsFormat
from .read_multiple_files_args import ReadMultipleFilesArgs
from .release_session_response import ReleaseSessionResponse
from .release_session_response_data_type_0 import ReleaseSessionResponseDataType0
from .run_code_args import RunCodeArgs
from .run_code_error_type_0 import RunCodeErrorType0
from .run_code_output import RunCodeOutput
from .run_code_result_item import RunCodeResultItem
from .run_code_result_item_applicationvnd_vegalite_v5_json import RunCodeResultItemApplicationvndVegaliteV5Json
from .sdk_stats import SdkStats
from .search_files_args import SearchFilesArgs
from .session_id_request import SessionIdRequest
from .session_summary import SessionSummary
from .shell_args import ShellArgs
from .shell_args_envs import ShellArgsEnvs
from .shell_output import ShellOutput
from .tool_descriptor import ToolDescriptor
from .tool_descriptor_input_schema import ToolDescriptorInputSchema
from .tool_list_item import ToolListItem
from .write_file_args import WriteFileArgs
from .write_file_args_mode import WriteFileArgsMode

__all__ = (
    "CallToolRequest",
    "CallToolResponse",
    "CallToolResult",
    "ContentItem",
    "CreateSessionData",
    "CreateSessionRequest",
    "CreateSessionResponse",
    "DesktopInfo",
    "EditFileArgs",
    "EmptyDataResponse",
    "EmptyDataResponseDataType0",
    "EmptyRequest",
    "Envelope",
    "ErrorResponse",
    "ErrorResponseDataType0",
    "FileChangeEvent",
    "FileEdit",
    "GetLabelData",
    "GetLabelResponse",
    "GetMcpResourceData",
    "GetMcpResourceResponse",
    "GetSessionData",
    "GetSessionInfoData",
    "GetSessionInfoResponse",
    "GetSessionResponse",
    "Labels",
    "ListSessionsResponse",
    "ListToolsResponse",
    "MoveFileArgs",
    "PathArgs",
    "PersistenceData",
    "ReadFileArgs",
    "ReadFileArgsFormat",
    "ReadMultipleFilesArgs",
    "ReleaseSessionResponse",
    "ReleaseSessionResponseDataType0",
    "RunCodeArgs",
    "RunCodeErrorType0",
    "RunCodeOutput",
    "RunCodeResultItem",
    "RunCodeResultItemApplicationvndVegaliteV5Json",
    "SdkStats",
    "SearchFilesArgs",
    "SessionIdRequest",
    "SessionSummary",
    "ShellArgs",
    "ShellArgsEnvs",
    "ShellOutput",
    "ToolDescriptor",
    "ToolDescriptorInputSchema",
    "ToolListItem",
    "WriteFileArgs",
    "WriteFileArgsMode",
)
